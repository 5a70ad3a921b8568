//! Writes every drawing into one HTML page, so that a person can look at them together.
//!
//! Run with `cargo run -p dream-visual --example preview -- /tmp/preview.html`, then open the
//! file in a browser (or screenshot it with headless Chromium).

use dream_visual::{
    Bar, Funding, FundingAmount, Language, MapOptions, MapRegion, TimePoint, bar_chart,
    funding_bar, location_map, oblast_map, oblasts, qr_code, time_chart,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/preview.html".to_owned());
    let sections = [
        ("Карта областей", oblast_map_example()),
        ("Карта без даних", empty_map_example()),
        ("Розташування проєкту", location_map_example()),
        ("Проєкти за секторами", bar_chart_example()),
        ("Проєкти за місяцями", time_chart_example()),
        ("Фінансування", funding_example(9_100_000.0)),
        ("Фінансування понад потребу", funding_example(15_000_000.0)),
        (
            "QR-код",
            qr_code(
                "https://dream.gov.ua/ua/project/DREAM-UA-110224-5D1E3B7C",
                "QR-код сторінки проєкту",
            )?,
        ),
        ("Порожній графік", bar_chart("Порожньо", &[], Language::Uk)),
    ];

    let mut page = String::from(
        "<!doctype html><html lang=\"uk\"><meta charset=\"utf-8\"><title>dream-visual</title>\
         <style>body{font-family:system-ui,sans-serif;margin:16px;display:grid;\
         grid-template-columns:repeat(2,minmax(0,1fr));gap:16px 32px}\
         section{min-width:0}h2{font-size:16px;margin:0 0 6px}\
         .dv-qr{max-width:160px}.narrow{width:320px;outline:1px dashed #999}</style>",
    );
    for (heading, drawing) in &sections {
        page.push_str(&format!("<section><h2>{heading}</h2>{drawing}</section>"));
    }
    page.push_str(&format!(
        "<section><h2>Стовпці при ширині 320 px</h2><div class=\"narrow\">{}</div></section>",
        bar_chart_example()
    ));
    std::fs::write(&target, page)?;
    println!("wrote {target}");
    Ok(())
}

fn grouped(value: f64) -> String {
    let digits = format!("{}", value.round() as i64);
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}

fn oblast_map_example() -> String {
    let regions: Vec<MapRegion> = oblasts()
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 9 != 4)
        .map(|(index, shape)| {
            let value = ((index * 37) % 23) as f64 * 11.0 + 3.0;
            MapRegion {
                code: &shape.code,
                value,
                label: format!("{}: {} проєктів", shape.name_uk, grouped(value)),
                href: Some(format!("/oblast/{}", shape.code)),
            }
        })
        .collect();
    oblast_map(
        &regions,
        &MapOptions {
            title: "Проєкти відновлення за областями",
            description: "Кількість проєктів у кожній області.",
            legend_title: "Кількість проєктів",
            language: Language::Uk,
            format_value: &grouped,
        },
    )
}

fn empty_map_example() -> String {
    oblast_map(
        &[],
        &MapOptions {
            title: "Projects by oblast",
            description: "",
            legend_title: "Projects",
            language: Language::En,
            format_value: &grouped,
        },
    )
}

fn location_map_example() -> String {
    location_map(
        "UA18040130000018738",
        Some((28.6587, 50.2547)),
        "Житомир, Житомирська область",
    )
}

fn bar_chart_example() -> String {
    let bars = [
        ("Освіта", 412.0),
        ("Охорона здоров'я", 287.0),
        ("Житло", 1_204.0),
        ("Транспорт і дорожня інфраструктура", 95.0),
        ("Енергетика", 3.0),
        ("Водопостачання та водовідведення <sewage> & \"co\"", 0.0),
    ]
    .map(|(label, value)| Bar {
        label: label.to_owned(),
        value,
        value_text: grouped(value),
    });
    bar_chart("Проєкти за секторами", &bars, Language::Uk)
}

fn time_chart_example() -> String {
    let months = [
        "січ", "лют", "бер", "кві", "тра", "чер", "лип", "сер", "вер", "жов", "лис", "гру",
    ];
    let points: Vec<TimePoint> = (0..30)
        .map(|index| {
            let value = (((index * 7919) % 97) as f64 * 1.7 + index as f64 * 6.0).round();
            TimePoint {
                label: format!("{} {}", months[index % 12], 2023 + index / 12),
                value,
                value_text: grouped(value),
            }
        })
        .collect();
    time_chart("Нові проєкти за місяцями", &points, &grouped, Language::Uk)
}

fn funding_example(secured: f64) -> String {
    let amount = |label: &str, value: f64| FundingAmount {
        label: label.to_owned(),
        value,
        value_text: format!("{} грн", grouped(value)),
    };
    funding_bar(
        "Фінансування проєкту",
        &Funding {
            need: amount("Потреба", 12_500_000.0),
            secured: amount("Забезпечено", secured),
            contracted: Some(amount("Законтрактовано", 6_400_000.0)),
            paid: Some(amount("Сплачено", 2_750_000.0)),
        },
    )
}
