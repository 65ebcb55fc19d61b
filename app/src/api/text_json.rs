//! The encoding of every server function's reply (and error): JSON, read in the browser from
//! text with `serde_json::from_str`. Resources hydrated from the page are read the same way, so
//! the browser bundle holds one JSON deserialiser per reply type instead of two (serde_json's
//! byte-slice reader, which the stock `Json` encoding uses, and its text reader).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON that decodes from text; see the module documentation.
pub struct TextJsonEncoding;

impl ContentType for TextJsonEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for TextJsonEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for TextJsonEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for TextJsonEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// A server function's reply as JSON read from text (`#[server(output = TextJson)]`).
pub type TextJson = Post<TextJsonEncoding>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_is_not_json_text() {
        let bytes = TextJsonEncoding::encode(&vec!["a", "é"]).unwrap();
        let back: Vec<String> = TextJsonEncoding::decode(bytes).unwrap();
        assert_eq!(back, ["a", "é"]);
        let bad: Result<Vec<String>, _> =
            TextJsonEncoding::decode(Bytes::from_static(b"[\"\xff\"]"));
        assert!(bad.is_err());
        let bad: Result<Vec<String>, _> = TextJsonEncoding::decode(Bytes::from_static(b"[1"));
        assert!(bad.is_err());
    }
}
