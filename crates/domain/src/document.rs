//! Documents attached to a case: what kind of paper it is, which file types are
//! accepted, and the check of a file's type by its content (never by its name).
//!
//! The check reads the content as it streams: the first bytes decide PDF, JPEG and
//! PNG at once and refuse anything else that is not a ZIP; a ZIP is a DOCX only if
//! one of its entries lies under `word/`, which may be seen anywhere up to the end
//! (the central directory closes the file), so it is decided by `finish`.

use crate::DomainError;

vocabulary! {
    /// What a document is, as the case page lists it.
    pub enum DocumentKind in "kind" {
        ConsentForm = "consent_form", "форма за съгласие", "consent form";
        IdentityDocument = "identity_document", "документ за самоличност", "identity document";
        Medical = "medical", "медицински документ", "medical document";
        Court = "court", "съдебен документ", "court document";
        Other = "other", "друг документ", "other document";
    }
}

vocabulary! {
    /// A file type Zakrila accepts, as its content shows it.
    pub enum FileType in "file" {
        Pdf = "pdf", "PDF", "PDF";
        Jpeg = "jpeg", "JPEG изображение", "JPEG image";
        Png = "png", "PNG изображение", "PNG image";
        Docx = "docx", "документ Word (DOCX)", "Word document (DOCX)";
    }
}

impl FileType {
    /// The media type a download is served with.
    pub const fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// The extension of a download's generated name.
    pub const fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Docx => "docx",
        }
    }
}

/// The error of a file whose content is none of the accepted types.
pub const NOT_ACCEPTED: DomainError = DomainError::field("file", "error-document-type");

const PDF: &[u8] = b"%PDF-";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const ZIP: &[u8] = b"PK\x03\x04";
/// A ZIP local file header: the name begins 30 bytes after its signature.
const NAME_AT: usize = 30;
const WORD: &[u8] = b"word/";

/// The type check of one file, fed its content in pieces as it arrives.
#[derive(Debug, Default)]
pub struct ContentCheck {
    head: Vec<u8>,
    decided: Option<FileType>,
    zip: bool,
    /// The last bytes of what was fed, so a header cut between two pieces is seen.
    tail: Vec<u8>,
    word_entry: bool,
}

impl ContentCheck {
    /// Takes the next piece; refuses as soon as the first bytes rule every type out.
    pub fn feed(&mut self, piece: &[u8]) -> Result<(), DomainError> {
        if self.decided.is_none() && !self.zip {
            let need = PNG.len().saturating_sub(self.head.len());
            self.head.extend_from_slice(&piece[..need.min(piece.len())]);
            if let Some(t) = self.by_signature()? {
                self.decided = Some(t);
            }
        }
        if self.zip && !self.word_entry {
            let mut window = std::mem::take(&mut self.tail);
            window.extend_from_slice(piece);
            self.word_entry = window.windows(ZIP.len()).enumerate().any(|(i, w)| {
                w == ZIP && window.get(i + NAME_AT..i + NAME_AT + WORD.len()) == Some(WORD)
            });
            let keep = NAME_AT + WORD.len() - 1;
            self.tail = window[window.len().saturating_sub(keep)..].to_vec();
        }
        Ok(())
    }

    /// The type once the head is long enough to tell; an error when it can be none.
    fn by_signature(&mut self) -> Result<Option<FileType>, DomainError> {
        let h = &self.head[..];
        let starts = |sig: &[u8]| h.len() >= sig.len() && h.starts_with(sig);
        let could = |sig: &[u8]| sig.starts_with(&h[..h.len().min(sig.len())]);
        if starts(PDF) {
            return Ok(Some(FileType::Pdf));
        }
        if starts(JPEG) {
            return Ok(Some(FileType::Jpeg));
        }
        if starts(PNG) {
            return Ok(Some(FileType::Png));
        }
        if starts(ZIP) {
            self.zip = true;
            return Ok(None);
        }
        if [PDF, JPEG, PNG, ZIP].iter().any(|s| could(s)) {
            return Ok(None);
        }
        Err(NOT_ACCEPTED)
    }

    /// The type, once the whole content was fed.
    pub fn finish(self) -> Result<FileType, DomainError> {
        match self.decided {
            Some(t) => Ok(t),
            None if self.zip && self.word_entry => Ok(FileType::Docx),
            None if self.head.is_empty() => Err(DomainError::field("file", "error-document-empty")),
            None => Err(NOT_ACCEPTED),
        }
    }
}

/// The type of a whole content held in memory (tests, small files).
pub fn file_type_of(content: &[u8]) -> Result<FileType, DomainError> {
    let mut c = ContentCheck::default();
    c.feed(content)?;
    c.finish()
}

/// A caption: trimmed, at most 200 characters; empty is none.
pub fn parse_caption(s: &str) -> Result<Option<String>, DomainError> {
    let s = s.trim();
    if s.chars().count() > 200 {
        return Err(DomainError::field("caption", "error-document-caption"));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// The name the file had on the uploader's computer, kept (encrypted) for the
/// person's report: its last path component, without control characters, at most
/// 255 characters.
pub fn original_name(s: &str) -> String {
    let last = s.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    clean.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx() -> Vec<u8> {
        let mut f = ZIP.to_vec();
        f.extend_from_slice(&[0; NAME_AT - 4]);
        f.extend_from_slice(b"[Content_Types].xml........");
        f.extend_from_slice(ZIP);
        f.extend_from_slice(&[0; NAME_AT - 4]);
        f.extend_from_slice(b"word/document.xml");
        f
    }

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(file_type_of(b"%PDF-1.7\n..."), Ok(FileType::Pdf));
        assert_eq!(
            file_type_of(&[0xFF, 0xD8, 0xFF, 0xE0, 1]),
            Ok(FileType::Jpeg)
        );
        assert_eq!(file_type_of(&[PNG, b"IHDR"].concat()), Ok(FileType::Png));
        assert_eq!(file_type_of(&docx()), Ok(FileType::Docx));
        assert_eq!(file_type_of(b"MZ\x90\x00 an executable"), Err(NOT_ACCEPTED));
        // A ZIP that is not a Word document (e.g. a spreadsheet).
        let mut xlsx = ZIP.to_vec();
        xlsx.extend_from_slice(&[0; NAME_AT - 4]);
        xlsx.extend_from_slice(b"xl/workbook.xml");
        assert_eq!(file_type_of(&xlsx), Err(NOT_ACCEPTED));
        assert_eq!(file_type_of(b"").unwrap_err().key, "error-document-empty");
    }

    #[test]
    fn pieces_of_any_size_give_the_same_answer() {
        let f = docx();
        for size in [1, 2, 3, 7, 30, 1000] {
            let mut c = ContentCheck::default();
            for piece in f.chunks(size) {
                c.feed(piece).unwrap();
            }
            assert_eq!(c.finish(), Ok(FileType::Docx), "pieces of {size}");
        }
        let mut c = ContentCheck::default();
        c.feed(b"M").unwrap_err();
    }

    #[test]
    fn names_keep_their_last_component() {
        assert_eq!(original_name("C:\\Users\\x\\паспорт.pdf"), "паспорт.pdf");
        assert_eq!(original_name("a/b/scan\u{0}.png"), "scan.png");
        assert!(parse_caption(&"я".repeat(201)).is_err());
        assert_eq!(parse_caption("  "), Ok(None));
    }
}
