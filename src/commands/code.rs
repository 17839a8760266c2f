//! `gw2opt code decode|encode`: the game's build chat codes.

use std::io::Read;

use anyhow::{bail, Context};
use gw2::chatcode;
use gw2::data::GameData;

/// Prints the build a code stands for: numbers only with `raw`, names resolved otherwise
/// (ids unknown to the game data are rejected).
pub fn decode(code: &str, raw: bool) -> anyhow::Result<()> {
    if raw {
        let decoded =
            chatcode::decode_raw(code).map_err(|e| anyhow::anyhow!("invalid build code: {e}"))?;
        super::print_json(&decoded)
    } else {
        let decoded = chatcode::decode(code, GameData::embedded())
            .map_err(|e| anyhow::anyhow!("invalid build code: {e}"))?;
        super::print_json(&decoded)
    }
}

/// Reads the JSON `decode` prints from standard input and prints the code.
pub fn encode(raw: bool) -> anyhow::Result<()> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading standard input")?;
    if input.trim().is_empty() {
        bail!("expected the build as JSON on standard input");
    }
    let mut de = serde_json::Deserializer::from_str(&input);
    let code = if raw {
        let build: chatcode::RawBuildCode =
            serde_path_to_error::deserialize(&mut de).context("invalid raw build JSON")?;
        chatcode::encode_raw(&build).map_err(|e| anyhow::anyhow!("cannot encode: {e}"))?
    } else {
        let build: chatcode::BuildTemplate =
            serde_path_to_error::deserialize(&mut de).context("invalid build JSON")?;
        chatcode::encode(&build, GameData::embedded())
            .map_err(|e| anyhow::anyhow!("cannot encode: {e}"))?
    };
    super::out(&format!("{code}\n"))
}
