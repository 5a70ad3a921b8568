//! Ukrainian to Latin letters by the official table of the Cabinet of Ministers (resolution
//! No. 55 of 27 January 2010), which passports and road signs use. English pages and the
//! English texts of the demo data spell places and names this way: Андріївська is
//! Andriivska, Згурівка Zghurivka.

/// Transliterates `text`, keeping every character that is not a Ukrainian letter.
///
/// Є, Ї, Й, Ю and Я are written Ye, Yi, Y, Yu and Ya at the start of a word and ie, i, i, iu
/// and ia elsewhere; Ь and the apostrophe are dropped; зг becomes zgh so that it is not read
/// as the letter ж. A word in capitals stays in capitals.
pub fn transliterate(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut latin = String::with_capacity(text.len());
    for (index, &letter) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let Some(lower) = latin_of(letter, previous) else {
            latin.push(letter);
            continue;
        };
        write_in_case(&mut latin, lower, letter, previous, next);
    }
    latin
}

/// The lower-case Latin spelling of a Ukrainian letter, or `None` for any other character.
fn latin_of(letter: char, previous: Option<char>) -> Option<&'static str> {
    let lower = letter.to_lowercase().next().unwrap_or(letter);
    let word_start = previous.is_none_or(|p| !p.is_alphabetic() && !is_apostrophe(p));
    let after_z = previous.is_some_and(|p| matches!(p, 'з' | 'З'));
    let latin = match lower {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' if after_z => "gh",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'є' if word_start => "ye",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' => "y",
        'і' => "i",
        'ї' if word_start => "yi",
        'ї' => "i",
        'й' if word_start => "y",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' if word_start => "yu",
        'ю' => "iu",
        'я' if word_start => "ya",
        'я' => "ia",
        'ь' => "",
        _ if is_apostrophe(letter) => "",
        _ => return None,
    };
    Some(latin)
}

/// Writes `lower` as the case of `letter` asks: capitalised for a capital letter, all
/// capitals when a neighbour is a capital too (an abbreviation such as КП).
fn write_in_case(
    latin: &mut String,
    lower: &str,
    letter: char,
    previous: Option<char>,
    next: Option<char>,
) {
    if !letter.is_uppercase() {
        latin.push_str(lower);
        return;
    }

    let capital_neighbour = next.is_some_and(char::is_uppercase)
        || (previous.is_some_and(char::is_uppercase) && !next.is_some_and(char::is_lowercase));
    if capital_neighbour {
        latin.push_str(&lower.to_uppercase());
        return;
    }

    let mut rest = lower.chars();
    if let Some(first) = rest.next() {
        latin.extend(first.to_uppercase());
        latin.push_str(rest.as_str());
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_of_the_official_table_come_out_right() {
        let examples = [
            ("Алушта", "Alushta"),
            ("Андрій", "Andrii"),
            ("Борщагівка", "Borshchahivka"),
            ("Вінниця", "Vinnytsia"),
            ("Гадяч", "Hadiach"),
            ("Згорани", "Zghorany"),
            ("Ґалаґан", "Galagan"),
            ("Єнакієве", "Yenakiieve"),
            ("Короп'є", "Koropie"),
            ("Житомир", "Zhytomyr"),
            ("Їжакевич", "Yizhakevych"),
            ("Кадиївка", "Kadyivka"),
            ("Мар'їне", "Marine"),
            ("Йосипівка", "Yosypivka"),
            ("Стрий", "Stryi"),
            ("Олексій", "Oleksii"),
            ("Харків", "Kharkiv"),
            ("Біла Церква", "Bila Tserkva"),
            ("Щербухи", "Shcherbukhy"),
            ("Гоща", "Hoshcha"),
            ("Юрій", "Yurii"),
            ("Корюківка", "Koriukivka"),
            ("Яготин", "Yahotyn"),
            ("Знам'янка", "Znamianka"),
            ("Феодосія", "Feodosiia"),
            ("Ужгород", "Uzhhorod"),
        ];
        for (ukrainian, latin) in examples {
            assert_eq!(transliterate(ukrainian), latin, "{ukrainian}");
        }
    }

    #[test]
    fn hromada_names_and_abbreviations_keep_their_shape() {
        assert_eq!(transliterate("Андріївська"), "Andriivska");
        assert_eq!(transliterate("Івано-Франківська"), "Ivano-Frankivska");
        assert_eq!(transliterate("КП «Водоканал»"), "KP «Vodokanal»");
        assert_eq!(transliterate("вул. Шевченка, 12"), "vul. Shevchenka, 12");
    }
}
