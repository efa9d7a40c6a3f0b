//! VPC lookups: GetUserVpcs, GetUserVpcSecurityGroup, GetUserVpcVSwitch. There is no VPC on
//! loopback, so these serve a configurable inventory: [`crate::Config::vpc_inventory`], else
//! `<data dir>/vpcs.json`, else [`VpcInventory::fixture`]. An unknown region or VPC is answered
//! as the metadata lists it: 403 with the literal Code `Code` and
//! `The specified parameter is invalid.`.

use super::{convert, page};
use crate::ctx::Ctx;
use crate::envelope::Fail;
use crate::vpc_inventory::{Vpc, VpcInventory};
use pts_api::ops::{
    get_user_vpc_security_group as sg_op, get_user_vpc_vswitch as vsw_op, get_user_vpcs as vpcs_op,
};
use serde_json::json;
use std::sync::Arc;

impl VpcInventory {
    fn find(&self, region: &str, vpc_id: Option<&str>) -> Result<Vec<&Vpc>, Fail> {
        let vpcs = self.regions.get(region).ok_or_else(invalid)?;
        match vpc_id.filter(|v| !v.is_empty()) {
            None => Ok(vpcs.iter().collect()),
            Some(id) => vpcs.iter().find(|v| v.vpc_id == id).map(|v| vec![v]).ok_or_else(invalid),
        }
    }
}

fn invalid() -> Fail {
    Fail::service(403, "Code", "The specified parameter is invalid.")
}

fn slice<T: Clone>(items: &[T], number: i32, size: i32) -> Vec<T> {
    let (limit, offset) = page(number, size);
    items.iter().skip(offset as usize).take(limit as usize).cloned().collect()
}

pub async fn vpcs(
    ctx: Arc<Ctx>,
    req: vpcs_op::GetUserVpcsRequest,
) -> Result<vpcs_op::GetUserVpcsResponse, Fail> {
    let found = ctx.vpc.find(&req.region_id, req.vpc_id.as_deref())?;
    let all: Vec<serde_json::Value> = found
        .iter()
        .map(|v| {
            json!({
                "VpcId": v.vpc_id, "VpcName": v.vpc_name, "CidrBlock": v.cidr_block, "Description": v.description,
                "ResourceGroupId": v.resource_group_id, "RegionId": req.region_id, "RouterTableIds": v.router_table_ids,
                "VSwitchIds": v.vswitches.iter().map(|s| s.vswitch_id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(pts_api::make!(vpcs_op::GetUserVpcsResponse {
        vpcs: Some(convert(&slice(&all, req.page_number, req.page_size))?),
        total_count: Some(all.len() as i64),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

pub async fn security_groups(
    ctx: Arc<Ctx>,
    req: sg_op::GetUserVpcSecurityGroupRequest,
) -> Result<sg_op::GetUserVpcSecurityGroupResponse, Fail> {
    let vpc = ctx.vpc.find(&req.region_id, Some(&req.vpc_id))?[0];
    let all: Vec<serde_json::Value> = vpc
        .security_groups
        .iter()
        .map(|g| {
            json!({"SecurityGroupId": g.security_group_id, "SecurityGroupName": g.security_group_name,
                   "Description": g.description, "VpcId": vpc.vpc_id})
        })
        .collect();
    Ok(pts_api::make!(sg_op::GetUserVpcSecurityGroupResponse {
        security_group_list: Some(convert(&slice(&all, req.page_number, req.page_size))?),
        security_group_count: Some(all.len() as i32),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}

pub async fn vswitches(
    ctx: Arc<Ctx>,
    req: vsw_op::GetUserVpcVSwitchRequest,
) -> Result<vsw_op::GetUserVpcVSwitchResponse, Fail> {
    let vpc = ctx.vpc.find(&req.region_id, Some(&req.vpc_id))?[0];
    let all: Vec<serde_json::Value> = vpc
        .vswitches
        .iter()
        .map(|s| {
            // MaxAgentCount = AvailableIpAddressCount: one agent per free IP (a pts-local
            // convention).
            json!({"VSwitchId": s.vswitch_id, "VSwitchName": s.vswitch_name, "VpcId": vpc.vpc_id,
                   "AvailableIpAddressCount": s.available_ip_address_count,
                   "MaxAgentCount": s.available_ip_address_count.min(i64::from(i32::MAX))})
        })
        .collect();
    Ok(pts_api::make!(vsw_op::GetUserVpcVSwitchResponse {
        vswitch_list: Some(convert(&slice(&all, req.page_number, req.page_size))?),
        vswitch_count: Some(all.len() as i32),
        page_number: Some(req.page_number),
        page_size: Some(req.page_size),
    }))
}
