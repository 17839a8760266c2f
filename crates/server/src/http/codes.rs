//! `/api/v1/codes`: the game's build chat codes, decoded with names resolved and encoded.

use gw2::chatcode;
use gw2::data::GameData;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Json;

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecodeRequest {
    /// `[&DQ...]`
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecodeResponse {
    #[schema(value_type = Object)]
    pub build: chatcode::BuildTemplate,
}

/// Decode a build template link (names resolved against the game data). Bad codes are
/// 422 saying what is wrong and where.
#[utoipa::path(post, path = "/api/v1/codes/decode", tag = "codes", request_body = DecodeRequest,
    responses((status = 200, body = DecodeResponse), (status = 422, body = ErrorBody)))]
pub async fn decode(Json(input): Json<DecodeRequest>) -> ApiResult<Json<DecodeResponse>> {
    let build = chatcode::decode(&input.code, GameData::embedded())
        .map_err(|e| ApiError::validation("code", e.to_string()))?;
    Ok(Json(DecodeResponse { build }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EncodeRequest {
    /// A build in the shape `/codes/decode` returns.
    #[schema(value_type = Object)]
    pub build: chatcode::BuildTemplate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EncodeResponse {
    pub code: String,
}

/// Encode a build as its in-game template link.
#[utoipa::path(post, path = "/api/v1/codes/encode", tag = "codes", request_body = EncodeRequest,
    responses((status = 200, body = EncodeResponse), (status = 422, body = ErrorBody)))]
pub async fn encode(Json(input): Json<EncodeRequest>) -> ApiResult<Json<EncodeResponse>> {
    let code = chatcode::encode(&input.build, GameData::embedded())
        .map_err(|e| ApiError::validation("build", e.to_string()))?;
    Ok(Json(EncodeResponse { code }))
}
