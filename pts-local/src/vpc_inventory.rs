//! The VPC inventory pts-local answers VPC lookups from: configured
//! ([`crate::Config::vpc_inventory`]), `<data dir>/vpcs.json`, or a small fixture.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Regions -> VPCs. The JSON form (also of `vpcs.json`) uses the API's PascalCase names:
/// `{"Regions": {"cn-hangzhou": [{"VpcId": "...", "VSwitches": [...], "SecurityGroups": [...]}]}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcInventory {
    pub regions: BTreeMap<String, Vec<Vpc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Vpc {
    pub vpc_id: String,
    pub vpc_name: String,
    pub cidr_block: String,
    pub description: String,
    pub resource_group_id: String,
    pub router_table_ids: Vec<String>,
    #[serde(rename = "VSwitches")]
    pub vswitches: Vec<VSwitch>,
    pub security_groups: Vec<SecurityGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VSwitch {
    #[serde(rename = "VSwitchId")]
    pub vswitch_id: String,
    #[serde(rename = "VSwitchName")]
    pub vswitch_name: String,
    pub available_ip_address_count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SecurityGroup {
    pub security_group_id: String,
    pub security_group_name: String,
    pub description: String,
}

impl VpcInventory {
    /// A small built-in inventory: one VPC in cn-hangzhou (two vSwitches, one security group)
    /// and one in cn-shanghai. Names say they are local fixtures.
    pub fn fixture() -> Self {
        let vpc = |region: &str, n: u32, switches: &[(u32, i64)]| Vpc {
            vpc_id: format!("vpc-local-{region}-{n}"),
            vpc_name: format!("pts-local fixture VPC {n}"),
            cidr_block: format!("172.{}.0.0/16", 16 + n),
            description: "pts-local fixture".into(),
            resource_group_id: "rg-local".into(),
            router_table_ids: vec![format!("vtb-local-{region}-{n}")],
            vswitches: switches
                .iter()
                .map(|(s, ips)| VSwitch {
                    vswitch_id: format!("vsw-local-{region}-{n}-{s}"),
                    vswitch_name: format!("pts-local fixture vSwitch {s}"),
                    available_ip_address_count: *ips,
                })
                .collect(),
            security_groups: vec![SecurityGroup {
                security_group_id: format!("sg-local-{region}-{n}"),
                security_group_name: "pts-local fixture group".into(),
                description: "pts-local fixture".into(),
            }],
        };
        let mut regions = BTreeMap::new();
        regions.insert("cn-hangzhou".into(), vec![vpc("cn-hangzhou", 1, &[(1, 252), (2, 4091)])]);
        regions.insert("cn-shanghai".into(), vec![vpc("cn-shanghai", 1, &[(1, 252)])]);
        VpcInventory { regions }
    }

    /// `<data_dir>/vpcs.json` if it exists, else the fixture.
    pub fn load_or_default(data_dir: &Path) -> Result<Self, String> {
        let path = data_dir.join("vpcs.json");
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::fixture()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}
