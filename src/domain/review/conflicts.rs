//! Conflicts of interest between a reviewer and a candidate (domain.md §6.2, issue 6 item 4).
//! Found automatically: the reviewer is the candidate; they work, or worked within the
//! configured number of years, for the same employer; the reviewer holds a share of one of the
//! candidate's contracts (registered or not) or works, or worked within those years, for its
//! buyer or seller; the reviewer already scored one of
//! the candidate's practical cases. Reviewers declare the rest themselves. A conflicted
//! reviewer neither opens the dossier, nor scores, nor votes on that candidate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A period at an employer; `to` is None while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    pub unit: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A technology contract someone holds a share of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractLink {
    pub deal: i64,
    /// What makes two claims the same contract ([`contract_identity`]): each claim on an
    /// unregistered contract is its own deal row, so the row cannot say it.
    pub identity: String,
    /// The registration number (or the contract's name), to name it in the reason.
    pub name: String,
    pub seller: String,
    pub buyer: String,
}

/// A contract's identity, registered or not: its registration number, else its name, seller,
/// buyer and signing date as compared (spaces and bracket widths do not matter).
pub fn contract_identity(
    registration_no: Option<&str>,
    name: &str,
    seller: &str,
    buyer: &str,
    signed: NaiveDate,
) -> String {
    match registration_no.map(unit_key).filter(|n| !n.is_empty()) {
        Some(no) => format!("registered:{no}"),
        None => format!(
            "unregistered:{}|{}|{}|{signed}",
            unit_key(name),
            unit_key(seller),
            unit_key(buyer)
        ),
    }
}

/// What the check knows about one side.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    pub person: i64,
    pub employments: Vec<Employment>,
    pub contracts: Vec<ContractLink>,
    /// People whose practical cases this person has scored (as an instructor).
    pub scored_cases_of: Vec<i64>,
}

/// One reason a reviewer may not review a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Conflict {
    /// The reviewer is the candidate.
    SelfReview,
    /// Both work, or worked within the look-back, for this employer.
    SameEmployer { unit: String },
    /// The reviewer holds a share of the same contract.
    CoManager { contract: String },
    /// The reviewer works for the buyer or the seller of the candidate's contract.
    Counterparty { contract: String, unit: String },
    /// The reviewer scored one of the candidate's practical cases.
    SharedCase,
    /// The reviewer said so, with their reason.
    Declared { reason: String },
}

impl Conflict {
    pub fn code(&self) -> &'static str {
        match self {
            Conflict::SelfReview => "self",
            Conflict::SameEmployer { .. } => "same_employer",
            Conflict::CoManager { .. } => "co_manager",
            Conflict::Counterparty { .. } => "counterparty",
            Conflict::SharedCase => "shared_case",
            Conflict::Declared { .. } => "declared",
        }
    }
}

/// A unit's name as compared: without spaces of any width, and with full-width brackets made
/// half-width (rosters write both).
pub fn unit_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

/// Whether an employment reaches into the `years` before `on` (or lasts).
fn recent(e: &Employment, on: NaiveDate, years: u32) -> bool {
    let since = on
        .checked_sub_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN);
    e.from <= on && e.to.is_none_or(|to| to >= since)
}

/// Every conflict between `reviewer` and `candidate` on `on`, looking back `years` for
/// employers. Each kind of reason appears once per employer or contract.
pub fn detect(candidate: &Party, reviewer: &Party, on: NaiveDate, years: u32) -> Vec<Conflict> {
    let mut out = Vec::new();
    if candidate.person == reviewer.person {
        out.push(Conflict::SelfReview);
    }
    let theirs: Vec<(String, &str)> = candidate
        .employments
        .iter()
        .filter(|e| recent(e, on, years))
        .map(|e| (unit_key(&e.unit), e.unit.as_str()))
        .collect();
    let mine: Vec<String> = reviewer
        .employments
        .iter()
        .filter(|e| recent(e, on, years))
        .map(|e| unit_key(&e.unit))
        .collect();
    for (key, name) in &theirs {
        let conflict = Conflict::SameEmployer {
            unit: name.to_string(),
        };
        if !key.is_empty() && mine.contains(key) && !out.contains(&conflict) {
            out.push(conflict);
        }
    }
    for c in &candidate.contracts {
        if reviewer
            .contracts
            .iter()
            .any(|r| r.deal == c.deal || r.identity == c.identity)
        {
            out.push(Conflict::CoManager {
                contract: c.name.clone(),
            });
        }
        // A party to the contract the reviewer works for, or worked for within the same
        // look-back as a shared employer.
        for party in [&c.seller, &c.buyer] {
            let key = unit_key(party);
            if !key.is_empty() && mine.contains(&key) {
                out.push(Conflict::Counterparty {
                    contract: c.name.clone(),
                    unit: party.clone(),
                });
            }
        }
    }
    if reviewer.scored_cases_of.contains(&candidate.person) {
        out.push(Conflict::SharedCase);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn job(unit: &str, from: NaiveDate, to: Option<NaiveDate>) -> Employment {
        Employment {
            unit: unit.into(),
            from,
            to,
        }
    }

    fn contract(deal: i64, seller: &str, buyer: &str) -> ContractLink {
        let name = format!("2025310104{deal:06}");
        ContractLink {
            deal,
            identity: contract_identity(Some(&name), "", seller, buyer, d(2025, 1, 1)),
            name,
            seller: seller.into(),
            buyer: buyer.into(),
        }
    }

    const ON: (i32, u32, u32) = (2026, 12, 1);

    fn on() -> NaiveDate {
        d(ON.0, ON.1, ON.2)
    }

    #[test]
    fn no_relation_no_conflict() {
        let candidate = Party {
            person: 1,
            employments: vec![job("同济大学技术转移中心", d(2015, 1, 1), None)],
            contracts: vec![contract(7, "同济大学", "某公司")],
            scored_cases_of: vec![],
        };
        let reviewer = Party {
            person: 2,
            employments: vec![job("上海联合产权交易所", d(2010, 1, 1), None)],
            ..Party::default()
        };
        assert!(detect(&candidate, &reviewer, on(), 3).is_empty());
    }

    #[test]
    fn a_reviewer_never_reviews_themself() {
        let me = Party {
            person: 5,
            ..Party::default()
        };
        assert_eq!(detect(&me, &me, on(), 3), vec![Conflict::SelfReview]);
    }

    #[test]
    fn same_employer_now_or_within_the_look_back() {
        let candidate = Party {
            person: 1,
            employments: vec![job("上海微技术工业研究院", d(2018, 3, 1), None)],
            ..Party::default()
        };
        // Left 2 years and 11 months ago: inside a 3-year look-back, outside a 2-year one.
        let former = Party {
            person: 2,
            employments: vec![
                job("上海微技术 工业研究院", d(2012, 1, 1), Some(d(2024, 1, 1))),
                job("复旦大学", d(2024, 1, 2), None),
            ],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &former, on(), 3),
            vec![Conflict::SameEmployer {
                unit: "上海微技术工业研究院".into()
            }]
        );
        assert!(detect(&candidate, &former, on(), 2).is_empty());
        // The look-back applies to the candidate's past employers too; brackets of either
        // width are the same name.
        let candidate = Party {
            person: 1,
            employments: vec![
                job(
                    "中国科学院上海有机化学研究所（技术转移部）",
                    d(2010, 1, 1),
                    Some(d(2025, 6, 30)),
                ),
                job("某公司", d(2025, 7, 1), None),
            ],
            ..Party::default()
        };
        let reviewer = Party {
            person: 3,
            employments: vec![job(
                "中国科学院上海有机化学研究所(技术转移部)",
                d(2000, 1, 1),
                None,
            )],
            ..Party::default()
        };
        assert_eq!(detect(&candidate, &reviewer, on(), 3).len(), 1);
        assert!(
            detect(&candidate, &reviewer, on(), 0).is_empty(),
            "0 years: only now"
        );
    }

    #[test]
    fn contracts_shared_or_with_the_reviewers_employer() {
        let candidate = Party {
            person: 1,
            contracts: vec![
                contract(7, "同济大学", "上海某新材料科技有限公司"),
                contract(8, "复旦大学", "某药企"),
            ],
            ..Party::default()
        };
        let co_manager = Party {
            person: 2,
            contracts: vec![contract(7, "同济大学", "上海某新材料科技有限公司")],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &co_manager, on(), 3),
            vec![Conflict::CoManager {
                contract: "2025310104000007".into()
            }]
        );
        let at_the_buyer = Party {
            person: 3,
            employments: vec![job("某药企", d(2020, 1, 1), None)],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &at_the_buyer, on(), 3),
            vec![Conflict::Counterparty {
                contract: "2025310104000008".into(),
                unit: "某药企".into()
            }]
        );
        // A reviewer who left the buyer two years ago still conflicts (the same look-back as
        // a shared employer); one who left eleven years ago does not.
        let left_lately = Party {
            person: 4,
            employments: vec![job("某药企", d(2018, 1, 1), Some(d(2024, 12, 1)))],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &left_lately, on(), 3),
            vec![Conflict::Counterparty {
                contract: "2025310104000008".into(),
                unit: "某药企".into()
            }]
        );
        let left_the_buyer = Party {
            person: 4,
            employments: vec![job("某药企", d(2010, 1, 1), Some(d(2015, 1, 1)))],
            ..Party::default()
        };
        assert!(detect(&candidate, &left_the_buyer, on(), 3).is_empty());
    }

    /// Two claims on one unregistered contract are two deal rows: the contract's identity
    /// (name, parties, signing date) finds the co-manager.
    #[test]
    fn co_managers_of_an_unregistered_contract() {
        let claim = |deal: i64, name: &str| ContractLink {
            deal,
            identity: contract_identity(None, name, "同济大学", "某公司（上海）", d(2025, 3, 1)),
            name: name.into(),
            seller: "同济大学".into(),
            buyer: "某公司（上海）".into(),
        };
        let candidate = Party {
            person: 1,
            contracts: vec![claim(11, "固态电解质 技术许可")],
            ..Party::default()
        };
        let reviewer = Party {
            person: 2,
            contracts: vec![claim(12, "固态电解质技术许可")],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &reviewer, on(), 3),
            vec![Conflict::CoManager {
                contract: "固态电解质 技术许可".into()
            }]
        );
        // Another contract between the same parties is another contract.
        let other = Party {
            person: 3,
            contracts: vec![claim(13, "另一项技术服务")],
            ..Party::default()
        };
        assert!(detect(&candidate, &other, on(), 3).is_empty());
    }

    #[test]
    fn a_reviewer_who_scored_the_candidates_case() {
        let candidate = Party {
            person: 1,
            ..Party::default()
        };
        let instructor = Party {
            person: 9,
            scored_cases_of: vec![4, 1],
            ..Party::default()
        };
        assert_eq!(
            detect(&candidate, &instructor, on(), 3),
            vec![Conflict::SharedCase]
        );
    }
}
