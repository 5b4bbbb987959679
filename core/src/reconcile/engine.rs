//! The matching engine: pairs orders with PagoEfectivo rows (by CIP, else by transaction code) and classifies each.

use std::collections::HashMap;

use crate::cip::CipStatus;

use super::classify::Classifier;
use super::exception::{Class, Exception, Side, Summary, Tally};
use super::ledger::{Orders, Payments};
use super::policy::Options;
use super::table::{self, Entry, Table};

/// The result: totals and the exceptions, in source order (orders first).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Reconciliation {
    pub summary: Summary,
    pub exceptions: Vec<Exception>,
}

/// Orders judged per batch of gathered PagoEfectivo rows (about 180 KB of entries).
const GATHER_CHUNK: usize = 2048;

/// What became of a row of either side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Alone,
    /// Paired with this row of the other side.
    With(u32),
    /// A repeat of this row of the same side.
    Repeats(u32),
    /// A PagoEfectivo row carrying the order id of this order, which is paired with another CIP.
    SecondCipOf(u32),
}

/// `(key, row)` sorted, so equal keys are adjacent and the first row of a run is the earliest.
fn sorted_keys(table: &Table, with_cip: bool) -> Vec<(u64, u32)> {
    let mut keys: Vec<(u64, u32)> = table
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| (e.cip != 0) == with_cip)
        .map(|(i, e)| (if with_cip { e.cip } else { e.text_hash }, i as u32))
        .collect();
    keys.sort_unstable();
    keys
}

/// Marks repeats of a key as such; returns the first row of each key.
fn first_of_runs(keys: &[(u64, u32)], links: &mut [Link]) -> Vec<(u64, u32)> {
    let mut firsts = Vec::with_capacity(keys.len());
    for (i, &(k, row)) in keys.iter().enumerate() {
        match firsts.last() {
            Some(&(prev, first)) if prev == k && i > 0 => links[row as usize] = Link::Repeats(first),
            _ => firsts.push((k, row)),
        }
    }
    firsts
}

/// Runs the reconciliation.
pub fn reconcile(orders: &Orders, payments: &Payments, options: &Options) -> Reconciliation {
    let o = &orders.table;
    let p = &payments.table;
    let mut olink = vec![Link::Alone; o.entries.len()];
    let mut plink = vec![Link::Alone; p.entries.len()];

    // 1. By CIP: merge the two sorted key lists.
    let ocip = first_of_runs(&sorted_keys(o, true), &mut olink);
    let pcip = first_of_runs(&sorted_keys(p, true), &mut plink);
    let (mut i, mut j) = (0, 0);
    while i < ocip.len() && j < pcip.len() {
        let (ok, orow) = ocip[i];
        let (pk, prow) = pcip[j];
        if ok < pk {
            i += 1;
        } else if pk < ok {
            j += 1;
        } else {
            olink[orow as usize] = Link::With(prow);
            plink[prow as usize] = Link::With(orow);
            i += 1;
            j += 1;
        }
    }
    drop((ocip, pcip));

    // 2. By transaction code, for PagoEfectivo rows still alone: they pair
    // with an order that has no CIP, or reveal a second CIP for an order.
    let mut by_text: HashMap<u64, Vec<u32>> = HashMap::new();
    for (row, e) in p.entries.iter().enumerate() {
        if plink[row] == Link::Alone && e.text_len > 0 {
            by_text.entry(e.text_hash).or_default().push(row as u32);
        }
    }
    if !by_text.is_empty() {
        let mut seen_without_cip: HashMap<u64, u32> = HashMap::new();
        for (orow, e) in o.entries.iter().enumerate() {
            if olink[orow] != Link::Alone && !matches!(olink[orow], Link::With(_)) {
                continue;
            }
            let Some(rows) = by_text.get(&e.text_hash) else { continue };
            let text = o.text(e);
            let same: Vec<u32> = rows
                .iter()
                .copied()
                .filter(|&r| plink[r as usize] == Link::Alone && p.text(&p.entries[r as usize]) == text)
                .collect();
            if same.is_empty() {
                continue;
            }
            let mut rest = same.as_slice();
            if e.cip == 0 {
                if let Some(&first) = seen_without_cip.get(&e.text_hash) {
                    olink[orow] = Link::Repeats(first);
                    continue;
                }
                seen_without_cip.insert(e.text_hash, orow as u32);
                olink[orow] = Link::With(same[0]);
                plink[same[0] as usize] = Link::With(orow as u32);
                rest = &same[1..];
            }
            for &r in rest {
                plink[r as usize] = Link::SecondCipOf(orow as u32);
            }
        }
    }
    // Orders without a CIP repeating an order id, not yet caught above.
    first_of_runs(&sorted_keys(o, false), &mut olink);

    let mut classifier = Classifier::new(options, payments);
    let mut exceptions = Vec::new();
    let mut tally = Tally::default();
    let mut emit = |ex: Option<Exception>, class: Class, currency, amount| {
        tally.add(class, currency, amount);
        if let Some(ex) = ex {
            exceptions.push(ex);
        }
    };
    // Paired PagoEfectivo rows are gathered a chunk at a time before they are
    // judged: the gather loop is tiny, so the CPU overlaps its cache misses
    // (the two files are rarely in the same order), where the judging loop would stall on each.
    let mut gathered: Vec<Entry> = Vec::with_capacity(GATHER_CHUNK);
    for start in (0..o.entries.len()).step_by(GATHER_CHUNK) {
        let end = (start + GATHER_CHUNK).min(o.entries.len());
        gathered.clear();
        gathered.extend(olink[start..end].iter().filter_map(|l| match l {
            Link::With(prow) => Some(p.entries[*prow as usize]),
            _ => None,
        }));
        let mut next = gathered.iter();
        for (row, e) in o.entries[start..end].iter().enumerate().map(|(i, e)| (start + i, e)) {
            let (class, ex, counted) = match olink[row] {
                Link::With(_) => {
                    let pe = next.next().expect("one gathered row per pair");
                    let (class, ex) = classifier.pair(o, e, p, pe);
                    // Totals count PagoEfectivo's amount wherever it has the row.
                    (class, ex, pe)
                }
                Link::Repeats(first) => {
                    let f = &o.entries[first as usize];
                    let detail = format!("order {} appears again (first at line {})", o.text(e), f.line);
                    let ex = classifier.one_sided(Class::Duplicate, Side::Merchant, o, e, true, detail);
                    (Class::Duplicate, Some(ex), e)
                }
                _ => {
                    let (class, ex) = classifier.order_alone(o, e);
                    (class, ex, e)
                }
            };
            emit(ex, class, counted.currency, counted.amount);
        }
    }
    for (row, e) in p.entries.iter().enumerate() {
        let (class, detail) = match plink[row] {
            Link::With(_) => continue,
            Link::Repeats(first) => {
                let f = &p.entries[first as usize];
                (Class::Duplicate, format!("CIP {} appears again (first at line {})", e.cip, f.line))
            }
            Link::SecondCipOf(orow) => {
                let oe = &o.entries[orow as usize];
                let paid = if table::cip_status(e) == CipStatus::Paid { "paid " } else { "" };
                let detail = format!(
                    "a second {paid}CIP {} for order {} (its CIP is {})",
                    e.cip,
                    o.text(oe),
                    if oe.cip == 0 { "unknown".to_owned() } else { oe.cip.to_string() }
                );
                (Class::Duplicate, detail)
            }
            Link::Alone => {
                let what = if e.cip != 0 {
                    format!("CIP {}", e.cip)
                } else {
                    format!("transaction code {}", p.text(e))
                };
                (Class::UnknownReference, format!("{what} is not among the merchant's orders"))
            }
        };
        let ex = classifier.one_sided(class, Side::Pagoefectivo, p, e, false, detail);
        emit(Some(ex), class, e.currency, e.amount);
    }
    let summary = tally.finish(o.entries.len() as u64, p.entries.len() as u64, classifier.as_of_date());
    Reconciliation { summary, exceptions }
}
