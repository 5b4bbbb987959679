//! Peruvian business days: weekends, national holidays (fixed dates plus Holy Thursday and Good Friday), extra closures.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A fixed-date national holiday and the first year it was observed.
struct Fixed {
    month: u32,
    day: u32,
    since: i32,
    name: &'static str,
}

/// National holidays with a fixed date (Decreto Legislativo N.° 713, art. 6,
/// and the laws that added days since). Regional holidays are not national
/// and do not stop bank settlement; add one-off closures with
/// [`Calendar::with_extra_holidays`].
const FIXED: &[Fixed] = &[
    Fixed { month: 1, day: 1, since: 0, name: "Año Nuevo" },
    Fixed { month: 5, day: 1, since: 0, name: "Día del Trabajo" },
    // Ley N.° 31788 (2023): Batalla de Arica y Día de la Bandera.
    Fixed { month: 6, day: 7, since: 2024, name: "Batalla de Arica y Día de la Bandera" },
    Fixed { month: 6, day: 29, since: 0, name: "San Pedro y San Pablo" },
    // Ley N.° 31822 (2023): Día de la Fuerza Aérea del Perú.
    Fixed { month: 7, day: 23, since: 2024, name: "Día de la Fuerza Aérea del Perú" },
    Fixed { month: 7, day: 28, since: 0, name: "Fiestas Patrias" },
    Fixed { month: 7, day: 29, since: 0, name: "Fiestas Patrias" },
    // Ley N.° 31530 (2022): Batalla de Junín.
    Fixed { month: 8, day: 6, since: 2022, name: "Batalla de Junín" },
    Fixed { month: 8, day: 30, since: 0, name: "Santa Rosa de Lima" },
    Fixed { month: 10, day: 8, since: 0, name: "Combate de Angamos" },
    Fixed { month: 11, day: 1, since: 0, name: "Todos los Santos" },
    Fixed { month: 12, day: 8, since: 0, name: "Inmaculada Concepción" },
    // Ley N.° 31381 (2022): Batalla de Ayacucho.
    Fixed { month: 12, day: 9, since: 2022, name: "Batalla de Ayacucho" },
    Fixed { month: 12, day: 25, since: 0, name: "Navidad" },
];

/// Business days for settlement: Monday to Friday, except Peru's national
/// holidays and any extra closures given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    extra: BTreeSet<NaiveDate>,
}

/// Easter Sunday (Gregorian) by the `computus` crate, which implements the
/// Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
fn easter(year: i32) -> Option<NaiveDate> {
    let d = computus::gregorian(year).ok()?;
    NaiveDate::from_ymd_opt(d.year, d.month, d.day)
}

/// The most business days one call counts (about 14 years): settlement is
/// T+1..T+3, and a caller's larger number is refused at the boundary.
pub const MAX_BUSINESS_DAYS: u32 = 3660;

impl Calendar {
    /// Peru's national calendar.
    pub fn peru() -> Calendar {
        Calendar::default()
    }

    /// Adds closures (a decreed non-working day for banks, a regional holiday).
    pub fn with_extra_holidays(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        self.extra.extend(dates);
        self
    }

    /// The national holidays of `year`, by date, with their names.
    pub fn holidays(&self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        let mut out: Vec<(NaiveDate, &'static str)> = FIXED
            .iter()
            .filter(|f| year >= f.since)
            .filter_map(|f| NaiveDate::from_ymd_opt(year, f.month, f.day).map(|d| (d, f.name)))
            .collect();
        if let Some(sunday) = easter(year) {
            out.extend(sunday.checked_sub_days(Days::new(3)).map(|d| (d, "Jueves Santo")));
            out.extend(sunday.checked_sub_days(Days::new(2)).map(|d| (d, "Viernes Santo")));
        }
        out.extend(self.extra.iter().filter(|d| d.year() == year).map(|&d| (d, "extra closure")));
        out.sort();
        out
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        if self.extra.contains(&date) {
            return true;
        }
        let (y, m, d) = (date.year(), date.month(), date.day());
        if FIXED.iter().any(|f| f.month == m && f.day == d && y >= f.since) {
            return true;
        }
        // Holy Thursday and Good Friday fall between March 19 and April 23.
        if ((m == 3 && d >= 19) || (m == 4 && d <= 23))
            && let Some(sunday) = easter(y)
        {
            let before = sunday.signed_duration_since(date).num_days();
            return before == 2 || before == 3;
        }
        false
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(date)
    }

    /// The `n`-th business day after `date` (T+n). `date` itself need not be
    /// a business day: a Saturday payment plus one is the next business Monday.
    /// `n` is capped at [`MAX_BUSINESS_DAYS`]: the cost grows with it.
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        let mut left = n.min(MAX_BUSINESS_DAYS);
        while left > 0 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holy_week_moves_with_easter() {
        let c = Calendar::peru();
        // Easter 2025: April 20; 2026: April 5.
        assert!(c.is_holiday(date("2025-04-17")) && c.is_holiday(date("2025-04-18")));
        assert!(!c.is_holiday(date("2025-04-16")) && !c.is_holiday(date("2025-04-21")));
        assert!(c.is_holiday(date("2026-04-02")) && c.is_holiday(date("2026-04-03")));
        assert!(!c.is_holiday(date("2026-04-17")));
    }

    #[test]
    fn t_plus_n_skips_weekends_and_holidays() {
        let c = Calendar::peru();
        // Wednesday before Holy Thursday 2026: T+1 is the Monday after Easter.
        assert_eq!(c.add_business_days(date("2026-04-01"), 1), date("2026-04-06"));
        // Friday -> Monday; Saturday -> Monday.
        assert_eq!(c.add_business_days(date("2026-11-20"), 1), date("2026-11-23"));
        assert_eq!(c.add_business_days(date("2026-11-21"), 1), date("2026-11-23"));
        // Fiestas Patrias 2026 are Tuesday and Wednesday.
        assert_eq!(c.add_business_days(date("2026-07-27"), 1), date("2026-07-30"));
        // Dec 8 and 9 2026 (Tue, Wed): T+3 from Monday Dec 7 is Monday Dec 14.
        assert_eq!(c.add_business_days(date("2026-12-07"), 3), date("2026-12-14"));
        assert_eq!(c.add_business_days(date("2026-12-07"), 0), date("2026-12-07"));
    }

    #[test]
    fn laws_apply_from_their_first_year_and_extras_count() {
        let c = Calendar::peru();
        assert!(c.is_holiday(date("2024-06-07")));
        assert!(!c.is_holiday(date("2021-06-07")));
        assert!(!c.is_holiday(date("2021-12-09")));
        let c = c.with_extra_holidays([date("2026-12-24")]);
        assert!(!c.is_business_day(date("2026-12-24")));
        assert_eq!(Calendar::peru().holidays(2026).len(), 16);
    }
}
