//! The file formats DREAM keeps as a project's documents and photos, recognised by their
//! first bytes (their magic numbers) and never by the file's name or the type its sender
//! declared, since both are whatever the sender's computer says. A file whose name or
//! declared type disagrees with its bytes is refused with the disagreement named, and so is
//! a photo that is not an image: a page shows photos in an `<img>`, and a browser must
//! never be handed a document it might run instead.

use std::fmt;

use crate::codelist::DocumentType;
use crate::text::Text;

/// A format DREAM accepts for a document or a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    Pdf,
    Jpeg,
    Png,
    Webp,
    /// A Word document of Office Open XML (`.docx`).
    Docx,
    /// An Excel workbook of Office Open XML (`.xlsx`): estimates travel in these.
    Xlsx,
    /// An OpenDocument text (`.odt`).
    Odt,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl FileFormat {
    /// Every format accepted, images first.
    pub const ALL: &'static [FileFormat] = &[
        FileFormat::Jpeg,
        FileFormat::Png,
        FileFormat::Webp,
        FileFormat::Pdf,
        FileFormat::Docx,
        FileFormat::Xlsx,
        FileFormat::Odt,
        FileFormat::Ods,
    ];

    /// The media type the file is served with and recorded under in the document's
    /// `format`.
    pub fn media_type(self) -> &'static str {
        match self {
            FileFormat::Pdf => "application/pdf",
            FileFormat::Jpeg => "image/jpeg",
            FileFormat::Png => "image/png",
            FileFormat::Webp => "image/webp",
            FileFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Odt => "application/vnd.oasis.opendocument.text",
            FileFormat::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The format recorded under `media_type`, for serving a stored file again.
    pub fn from_media_type(media_type: &str) -> Option<FileFormat> {
        FileFormat::ALL
            .iter()
            .copied()
            .find(|format| format.media_type() == media_type)
    }

    /// The name endings a file of this format may have; the first is the usual one.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileFormat::Pdf => &["pdf"],
            FileFormat::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileFormat::Png => &["png"],
            FileFormat::Webp => &["webp"],
            FileFormat::Docx => &["docx"],
            FileFormat::Xlsx => &["xlsx"],
            FileFormat::Odt => &["odt"],
            FileFormat::Ods => &["ods"],
        }
    }

    /// Whether a browser shows the file as a picture.
    pub fn is_image(self) -> bool {
        matches!(self, FileFormat::Jpeg | FileFormat::Png | FileFormat::Webp)
    }

    /// What the file is, as a message names it: "a PNG image".
    pub fn described(self) -> &'static str {
        match self {
            FileFormat::Pdf => "a PDF document",
            FileFormat::Jpeg => "a JPEG image",
            FileFormat::Png => "a PNG image",
            FileFormat::Webp => "a WebP image",
            FileFormat::Docx => "a Word document (.docx)",
            FileFormat::Xlsx => "an Excel workbook (.xlsx)",
            FileFormat::Odt => "an OpenDocument text (.odt)",
            FileFormat::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }

    /// What the file is, in Ukrainian: "зображення PNG".
    pub fn described_uk(self) -> &'static str {
        match self {
            FileFormat::Pdf => "документ PDF",
            FileFormat::Jpeg => "зображення JPEG",
            FileFormat::Png => "зображення PNG",
            FileFormat::Webp => "зображення WebP",
            FileFormat::Docx => "документ Word (.docx)",
            FileFormat::Xlsx => "книга Excel (.xlsx)",
            FileFormat::Odt => "текст OpenDocument (.odt)",
            FileFormat::Ods => "таблиця OpenDocument (.ods)",
        }
    }

    /// The format of `bytes`, read from their first bytes and, for the office formats
    /// (which are ZIP archives), from the names inside the archive.
    pub fn recognise(bytes: &[u8]) -> Option<FileFormat> {
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
        if bytes.starts_with(b"%PDF-") {
            Some(FileFormat::Pdf)
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some(FileFormat::Jpeg)
        } else if bytes.starts_with(PNG) {
            Some(FileFormat::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(FileFormat::Webp)
        } else if bytes.starts_with(b"PK\x03\x04") {
            office_format(bytes)
        } else {
            None
        }
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.media_type())
    }
}

impl DocumentType {
    /// Whether documents of this type are photos: the illustrations of the passport's
    /// gallery, before, damaged, in progress, complete and the rest.
    pub fn is_photo(self) -> bool {
        matches!(
            self,
            DocumentType::IllustrationBefore
                | DocumentType::IllustrationDamaged
                | DocumentType::IllustrationInProgress
                | DocumentType::IllustrationVision
                | DocumentType::IllustrationComplete
                | DocumentType::IllustrationCover
                | DocumentType::Illustration
        )
    }
}

/// Why a file is refused, in words that tell the sender what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message().in_lang("en"))]
pub enum FormatProblem {
    Empty,
    /// The bytes are no format DREAM keeps; what they look like, when that can be told.
    Unrecognised {
        looks_like: Option<LooksLike>,
    },
    DeclaredType {
        declared: String,
        actual: FileFormat,
    },
    Extension {
        name: String,
        actual: FileFormat,
    },
    NotAnImage {
        document_type: DocumentType,
        actual: FileFormat,
    },
}

impl FormatProblem {
    /// The refusal in both languages.
    pub fn message(&self) -> Text {
        match self {
            FormatProblem::Empty => Text::new(
                "Файл порожній: оберіть файл.",
                "the file is empty: choose a file",
            ),
            FormatProblem::Unrecognised { looks_like } => {
                let (uk, en) = looks_like.map_or((String::new(), String::new()), |what| {
                    let (uk, en) = what.described();
                    (
                        format!("; схоже, що це {uk}"),
                        format!("; they look like {en}"),
                    )
                });
                Text::new(
                    format!(
                        "Вміст файлу не є форматом, який зберігає DREAM (PDF, JPEG, PNG, WebP, \
                         DOCX, XLSX, ODT або ODS){uk}."
                    ),
                    format!(
                        "the file's bytes are not a format DREAM keeps (PDF, JPEG, PNG, WebP, \
                         DOCX, XLSX, ODT or ODS){en}"
                    ),
                )
            }
            FormatProblem::DeclaredType { declared, actual } => Text::new(
                format!(
                    "Файл оголошено як {declared}, але його вміст — {}.",
                    actual.described_uk()
                ),
                format!(
                    "the file is declared as {declared}, but its bytes are {}",
                    actual.described()
                ),
            ),
            FormatProblem::Extension { name, actual } => Text::new(
                format!(
                    "Файл називається «{name}», але його вміст — {}; назва має закінчуватися \
                     на .{}.",
                    actual.described_uk(),
                    actual.extensions()[0]
                ),
                format!(
                    "the file is named {name:?}, but its bytes are {}; its name should end in \
                     .{}",
                    actual.described(),
                    actual.extensions()[0]
                ),
            ),
            FormatProblem::NotAnImage {
                document_type,
                actual,
            } => Text::new(
                format!(
                    "Фото ({}) має бути зображенням JPEG, PNG або WebP, а цей файл — {}.",
                    document_type.as_str(),
                    actual.described_uk()
                ),
                format!(
                    "a photo ({}) must be a JPEG, PNG or WebP image, but this file is {}",
                    document_type.as_str(),
                    actual.described()
                ),
            ),
        }
    }
}

/// What bytes DREAM does not keep look like, for the refusal to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LooksLike {
    /// HTML or XML: a page that a browser would run if it were served as a picture.
    Markup,
    Gif,
    /// A Word or Excel file of the format before Office Open XML.
    OldOffice,
    /// A ZIP archive that is none of the office formats.
    Zip,
}

impl LooksLike {
    fn described(self) -> (&'static str, &'static str) {
        match self {
            LooksLike::Markup => (
                "текст HTML або XML, який не зберігається як документ чи фото",
                "HTML or XML text, which is never kept as a document or photo",
            ),
            LooksLike::Gif => (
                "зображення GIF; збережіть його як PNG або JPEG",
                "a GIF image; save it as PNG or JPEG",
            ),
            LooksLike::OldOffice => (
                "старий файл Microsoft Office (.doc або .xls); збережіть його як .docx або .xlsx",
                "an old Microsoft Office file (.doc or .xls); save it as .docx or .xlsx",
            ),
            LooksLike::Zip => (
                "архів ZIP, який не є офісним документом",
                "a ZIP archive that is not an office document",
            ),
        }
    }
}

/// What a sender says about a file, to be held against its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Claims<'a> {
    /// The file's name on the sender's computer.
    pub file_name: Option<&'a str>,
    /// The media type the sender declared for it.
    pub declared_type: Option<&'a str>,
}

/// Decides the format of a file to be kept as a document of `document_type`: its bytes
/// decide, and the name and declared type must agree with them.
pub fn check_file(
    bytes: &[u8],
    claims: Claims<'_>,
    document_type: DocumentType,
) -> Result<FileFormat, FormatProblem> {
    if bytes.is_empty() {
        return Err(FormatProblem::Empty);
    }
    let actual = FileFormat::recognise(bytes).ok_or(FormatProblem::Unrecognised {
        looks_like: looks_like(bytes),
    })?;

    if let Some(declared) = claims.declared_type
        && !declared_agrees(declared, actual)
    {
        return Err(FormatProblem::DeclaredType {
            declared: declared.trim().to_owned(),
            actual,
        });
    }
    if let Some(name) = claims.file_name
        && let Some(extension) = extension(name)
        && !actual.extensions().contains(&extension.as_str())
    {
        return Err(FormatProblem::Extension {
            name: name.to_owned(),
            actual,
        });
    }
    if document_type.is_photo() && !actual.is_image() {
        return Err(FormatProblem::NotAnImage {
            document_type,
            actual,
        });
    }
    Ok(actual)
}

/// Whether a declared media type fits `actual`. Saying nothing in particular
/// (`application/octet-stream`) fits anything, the old spellings of JPEG fit JPEG, and the
/// office formats may be declared as the ZIP archives they are.
fn declared_agrees(declared: &str, actual: FileFormat) -> bool {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let zipped = matches!(
        actual,
        FileFormat::Docx | FileFormat::Xlsx | FileFormat::Odt | FileFormat::Ods
    );
    match essence.as_str() {
        "" | "application/octet-stream" => true,
        "image/jpg" | "image/pjpeg" => actual == FileFormat::Jpeg,
        "application/x-pdf" => actual == FileFormat::Pdf,
        "application/zip" | "application/x-zip-compressed" => zipped,
        other => other == actual.media_type(),
    }
}

/// The lower-case ending of a file name after its last dot, if it has one.
fn extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = base.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_ascii_lowercase())
}

/// A guess at what unaccepted bytes are, so that the refusal can say it.
fn looks_like(bytes: &[u8]) -> Option<LooksLike> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|at| text[at] == b'<') {
        Some(LooksLike::Markup)
    } else if bytes.starts_with(b"GIF8") {
        Some(LooksLike::Gif)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some(LooksLike::OldOffice)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(LooksLike::Zip)
    } else {
        None
    }
}

/// The office format of a ZIP archive: OpenDocument names its type in a first, stored
/// entry called `mimetype`; Office Open XML keeps its parts under `word/` or `xl/`.
fn office_format(bytes: &[u8]) -> Option<FileFormat> {
    if let Some(mimetype) = opendocument_mimetype(bytes) {
        return match mimetype {
            b"application/vnd.oasis.opendocument.text" => Some(FileFormat::Odt),
            b"application/vnd.oasis.opendocument.spreadsheet" => Some(FileFormat::Ods),
            _ => None,
        };
    }
    let names = zip_entry_names(bytes)?;
    if !names.iter().any(|name| *name == b"[Content_Types].xml") {
        return None;
    }
    if names.iter().any(|name| name.starts_with(b"word/")) {
        Some(FileFormat::Docx)
    } else if names.iter().any(|name| name.starts_with(b"xl/")) {
        Some(FileFormat::Xlsx)
    } else {
        None
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let pair = bytes.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([pair[0], pair[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let four = bytes.get(at..at + 4)?;
    usize::try_from(u32::from_le_bytes([four[0], four[1], four[2], four[3]])).ok()
}

/// The content of the archive's first entry when it is an uncompressed `mimetype`.
fn opendocument_mimetype(bytes: &[u8]) -> Option<&[u8]> {
    let stored = u16_at(bytes, 8)? == 0;
    let size = u32_at(bytes, 18)?;
    let name_length = u16_at(bytes, 26)?;
    let extra_length = u16_at(bytes, 28)?;
    let name = bytes.get(30..30 + name_length)?;
    if !stored || name != b"mimetype" {
        return None;
    }
    let start = 30 + name_length + extra_length;
    bytes.get(start..start + size)
}

/// The names of the archive's entries, read from its central directory at the end.
fn zip_entry_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    // The end record is 22 bytes and may be followed by a comment of up to 65,535 bytes.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))?;
    let entries = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;

    let mut names = Vec::with_capacity(entries);
    for _ in 0..entries {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_length = u16_at(bytes, at + 28)?;
        let extra_length = u16_at(bytes, at + 30)?;
        let comment_length = u16_at(bytes, at + 32)?;
        names.push(bytes.get(at + 46..at + 46 + name_length)?);
        at += 46 + name_length + extra_length + comment_length;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01";
    const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00";

    /// A ZIP archive whose entries are stored uncompressed, as a test can write by hand.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut archive = Vec::new();
        let mut directory = Vec::new();
        for (name, content) in entries {
            let offset = archive.len() as u32;
            let size = (content.len() as u32).to_le_bytes();
            let name_length = (name.len() as u16).to_le_bytes();
            archive.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\0\0\0\0\0\0\0\0");
            archive.extend_from_slice(&size);
            archive.extend_from_slice(&size);
            archive.extend_from_slice(&name_length);
            archive.extend_from_slice(&[0, 0]);
            archive.extend_from_slice(name.as_bytes());
            archive.extend_from_slice(content);

            directory.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\0\0\0\0");
            directory.extend_from_slice(&[0; 4]);
            directory.extend_from_slice(&size);
            directory.extend_from_slice(&size);
            directory.extend_from_slice(&name_length);
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let directory_at = archive.len() as u32;
        let count = (entries.len() as u16).to_le_bytes();
        archive.extend_from_slice(&directory);
        archive.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        archive.extend_from_slice(&count);
        archive.extend_from_slice(&count);
        archive.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        archive.extend_from_slice(&directory_at.to_le_bytes());
        archive.extend_from_slice(&[0, 0]);
        archive
    }

    fn check(bytes: &[u8], name: &str, declared: &str, kind: DocumentType) -> String {
        let claims = Claims {
            file_name: Some(name),
            declared_type: Some(declared),
        };
        match check_file(bytes, claims, kind) {
            Ok(format) => format.media_type().to_owned(),
            Err(problem) => problem.to_string(),
        }
    }

    #[test]
    fn each_format_is_recognised_by_its_first_bytes() {
        assert_eq!(FileFormat::recognise(PDF), Some(FileFormat::Pdf));
        assert_eq!(FileFormat::recognise(JPEG), Some(FileFormat::Jpeg));
        assert_eq!(FileFormat::recognise(PNG), Some(FileFormat::Png));
        assert_eq!(FileFormat::recognise(WEBP), Some(FileFormat::Webp));
        assert_eq!(FileFormat::recognise(b"<!doctype html><p>hi"), None);
        assert_eq!(FileFormat::recognise(b"RIFF\0\0\0\0WAVEfmt "), None);
    }

    #[test]
    fn office_archives_are_told_apart_by_what_they_hold() {
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        let odt = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ]);
        let ods = zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<office:document-content/>"),
        ]);
        let plain = zip(&[("notes.txt", b"not an office file")]);
        assert_eq!(FileFormat::recognise(&docx), Some(FileFormat::Docx));
        assert_eq!(FileFormat::recognise(&xlsx), Some(FileFormat::Xlsx));
        assert_eq!(FileFormat::recognise(&odt), Some(FileFormat::Odt));
        assert_eq!(FileFormat::recognise(&ods), Some(FileFormat::Ods));
        assert_eq!(FileFormat::recognise(&plain), None);
        let refused = check(
            &plain,
            "notes.zip",
            "application/zip",
            DocumentType::Document,
        );
        assert!(
            refused.contains("ZIP archive that is not an office"),
            "{refused}"
        );
    }

    #[test]
    fn a_truncated_archive_is_not_read_past_its_end() {
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        for cut in 0..docx.len() {
            assert_eq!(FileFormat::recognise(&docx[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn a_file_whose_bytes_agree_with_its_name_and_type_is_accepted() {
        let design = DocumentType::DesignDocument;
        assert_eq!(
            check(PDF, "Робочий проєкт.PDF", "application/pdf", design),
            "application/pdf"
        );
        let damaged = DocumentType::IllustrationDamaged;
        assert_eq!(check(JPEG, "roof.jpeg", "image/jpg", damaged), "image/jpeg");
        assert_eq!(
            check(PNG, "roof", "application/octet-stream", damaged),
            "image/png"
        );
    }

    #[test]
    fn an_image_that_is_really_html_is_refused_and_named() {
        let page = b"\xEF\xBB\xBF  <html><script>alert(1)</script></html>";
        let refused = check(page, "photo.jpg", "image/jpeg", DocumentType::Illustration);
        assert!(refused.contains("look like HTML"), "{refused}");
    }

    #[test]
    fn a_png_named_jpg_is_refused_with_the_name_it_should_have() {
        let refused = check(PNG, "roof.jpg", "", DocumentType::IllustrationBefore);
        assert!(refused.contains("\"roof.jpg\""), "{refused}");
        assert!(refused.contains("a PNG image"), "{refused}");
        assert!(refused.contains(".png"), "{refused}");
    }

    #[test]
    fn a_declared_type_that_disagrees_with_the_bytes_is_refused() {
        let refused = check(PDF, "plan.pdf", "image/png", DocumentType::Document);
        assert_eq!(
            refused,
            "the file is declared as image/png, but its bytes are a PDF document"
        );
    }

    #[test]
    fn a_photo_must_be_an_image() {
        let refused = check(
            PDF,
            "after.pdf",
            "application/pdf",
            DocumentType::IllustrationComplete,
        );
        assert!(
            refused.starts_with("a photo (illustrationComplete)"),
            "{refused}"
        );
        assert!(refused.contains("a PDF document"), "{refused}");
        assert!(DocumentType::IllustrationInProgress.is_photo());
        assert!(!DocumentType::FeasibilityStudy.is_photo());
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(
            check(b"", "a.pdf", "application/pdf", DocumentType::Document),
            "the file is empty: choose a file"
        );
    }

    #[test]
    fn every_media_type_leads_back_to_its_format() {
        for format in FileFormat::ALL {
            assert_eq!(
                FileFormat::from_media_type(format.media_type()),
                Some(*format)
            );
        }
        assert_eq!(FileFormat::from_media_type("text/html"), None);
    }
}
