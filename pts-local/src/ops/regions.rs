//! GetAllRegions: a fixed map of the 10 regions in PTS's documented response example.

use crate::ctx::Ctx;
use crate::envelope::Fail;
use pts_api::ops::get_all_regions as op;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Region id -> display name, the ten regions of the metadata example.
pub const REGIONS: &[(&str, &str)] = &[
    ("cn-shenzhen", "华南1(深圳)"),
    ("cn-qingdao", "华北1(青岛)"),
    ("cn-beijing", "华北2(北京)"),
    ("cn-shanghai", "华东2(上海)"),
    ("cn-hongkong", "中国香港"),
    ("ap-southeast-1", "新加坡"),
    ("cn-huhehaote", "华北5(呼和浩特)"),
    ("cn-zhangjiakou", "华北3(张家口)"),
    ("cn-hangzhou", "华东1(杭州)"),
    ("cn-chengdu", "西南1(成都)"),
];

pub async fn get_all(
    _ctx: Arc<Ctx>,
    _req: op::GetAllRegionsRequest,
) -> Result<op::GetAllRegionsResponse, Fail> {
    let all: BTreeMap<String, String> =
        REGIONS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Ok(pts_api::make!(op::GetAllRegionsResponse { all_regions: Some(all) }))
}
