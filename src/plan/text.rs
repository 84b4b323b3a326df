//! Turning the bytes of a plan file into text: a UTF-8 byte-order mark is dropped and CRLF line
//! endings become LF, because files saved by WPS or Excel often carry both. Anything that is not
//! UTF-8 is refused with the position of the first bad byte.

use super::diag::Diagnostic;
use crate::i18n::Message;

pub fn decode(path: &str, bytes: &[u8]) -> Result<String, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // Most plans have no CR at all: then the text is copied, not searched again.
        Ok(text) if !text.contains('\r') => Ok(text.to_owned()),
        Ok(text) => Ok(text.replace("\r\n", "\n")),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The valid prefix is UTF-8 by construction.
            let prefix = std::str::from_utf8(good).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Box::new(Diagnostic {
                line,
                col,
                ..Diagnostic::file_level(
                    path,
                    Message::new(
                        "the file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8, for example \
                         with \"Save as… → Encoding: UTF-8\" in WPS or Excel",
                    )
                    .with("byte", format!("{:02X}", bytes[e.valid_up_to()])),
                )
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        let text = decode("p", b"\xEF\xBB\xBFa = 1\r\nb = 2\r\n").unwrap();
        assert_eq!(text, "a = 1\nb = 2\n");
    }

    #[test]
    fn gbk_is_refused_with_position() {
        // "市" in GBK is 0xCA 0xD0, not UTF-8. (Not every GBK text is: "农" is 0xC5 0xA9, which
        // happens to be valid UTF-8 for "ũ".)
        let err = decode("p.toml", b"a = 1\nb = \"\xCA\xD0\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 6));
        assert!(
            err.message.to_string().contains("not valid UTF-8"),
            "{}",
            err.message
        );
    }
}
