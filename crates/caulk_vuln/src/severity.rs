//! Turns what advisories say about severity — CVSS vectors, distro priority words, a bare CVSS
//! number — into one [`Rating`] on caulk's scale, so every feed ranks findings the same way.

use std::str::FromStr as _;

use caulk_core::Severity;

use crate::model::Rating;

/// Rates a CVSS v2, v3.0, v3.1 or v4.0 vector by its base score (v2 vectors may carry a
/// `CVSS:2.0/` prefix or NVD's parentheses). `None` when the vector does not parse.
pub fn from_cvss(vector: &str) -> Option<Rating> {
    let vector = vector.trim();
    let bare = vector.strip_prefix('(').and_then(|v| v.strip_suffix(')')).unwrap_or(vector);
    let bare = bare.strip_prefix("CVSS:2.0/").unwrap_or(bare);
    let cvss = cvss::Cvss::from_str(bare).ok()?;
    let origin = match cvss {
        cvss::Cvss::CvssV20(_) => "CVSS_V2",
        cvss::Cvss::CvssV30(_) | cvss::Cvss::CvssV31(_) => "CVSS_V3",
        cvss::Cvss::CvssV40(_) => "CVSS_V4",
        _ => return None,
    };
    let score = cvss.score();
    Some(Rating {
        severity: from_score_value(score)?,
        score: Some(score),
        vector: Some(vector.to_owned()),
        origin: origin.to_owned(),
    })
}

/// Rates a bare CVSS base score (a feed that gives the number without its vector) on the CVSS
/// qualitative scale; `None` outside 0–10.
pub fn from_score(score: f64, origin: &str) -> Option<Rating> {
    Some(Rating { severity: from_score_value(score)?, score: Some(score), vector: None, origin: origin.to_owned() })
}

/// Rates a distro's or database's own word: Ubuntu priorities, Red Hat/AlmaLinux impact,
/// GHSA levels, the Node.js core scale. Case-insensitive; `None` for a word none of them uses
/// (including `unknown`).
pub fn from_word(word: &str, origin: &str) -> Option<Rating> {
    let severity = match word.trim().to_ascii_lowercase().as_str() {
        "negligible" | "none" | "informational" | "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" | "moderate" => Severity::Medium,
        "high" | "important" => Severity::High,
        "critical" => Severity::Critical,
        _ => return None,
    };
    Some(Rating { severity, score: None, vector: None, origin: origin.to_owned() })
}

/// The CVSS v3 qualitative scale: 0.0 none (caulk's info), 0.1–3.9 low, 4.0–6.9 medium,
/// 7.0–8.9 high, 9.0–10.0 critical.
fn from_score_value(score: f64) -> Option<Severity> {
    if !(0.0..=10.0).contains(&score) {
        return None;
    }
    Some(if score == 0.0 {
        Severity::Info
    } else if score < 4.0 {
        Severity::Low
    } else if score < 7.0 {
        Severity::Medium
    } else if score < 9.0 {
        Severity::High
    } else {
        Severity::Critical
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(vector: &str) -> Rating {
        from_cvss(vector).unwrap_or_else(|| panic!("{vector} should parse"))
    }

    #[test]
    fn cvss_v3_scores_and_scale() {
        let r = rated("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        assert_eq!((r.score, r.severity, r.origin.as_str()), (Some(9.8), Severity::Critical, "CVSS_V3"));
        assert_eq!(r.vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        // CVE-2014-0160 (Heartbleed), NVD v3.1: 7.5 high.
        let r = rated("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
        assert_eq!((r.score, r.severity), (Some(7.5), Severity::High));
        // CVE-2014-3566 (POODLE), NVD v3.1: 3.1 low.
        let r = rated("CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N");
        assert_eq!((r.score, r.severity), (Some(3.1), Severity::Low));
        // bassmaster (Node.js security WG npm/1.json): 6.5 medium.
        let r = rated("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N");
        assert_eq!((r.score, r.severity), (Some(6.5), Severity::Medium));
        let r = rated("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N");
        assert_eq!((r.score, r.severity), (Some(0.0), Severity::Info));
    }

    #[test]
    fn cvss_v2_scores() {
        // CVE-2014-0160 (Heartbleed), NVD v2: 5.0 medium.
        let r = rated("AV:N/AC:L/Au:N/C:P/I:N/A:N");
        assert_eq!((r.score, r.severity, r.origin.as_str()), (Some(5.0), Severity::Medium, "CVSS_V2"));
        // NVD's own spelling with parentheses, and a 10.0.
        let r = rated("(AV:N/AC:L/Au:N/C:C/I:C/A:C)");
        assert_eq!((r.score, r.severity), (Some(10.0), Severity::Critical));
        assert_eq!(rated("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:N/A:N").score, Some(5.0));
    }

    #[test]
    fn cvss_v4_scores() {
        // FIRST's calculator default (all high, no subsequent impact): 9.3 critical.
        let r = rated("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        assert_eq!((r.score, r.severity, r.origin.as_str()), (Some(9.3), Severity::Critical, "CVSS_V4"));
        // CVE-2025-47273 (setuptools path traversal), GitHub's published v4 score: 7.7 high.
        let r = rated("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/E:P");
        assert_eq!((r.score, r.severity), (Some(7.7), Severity::High));
    }

    #[test]
    fn bad_vectors_rate_nothing() {
        for v in ["", "CVSS:3.1/AV:X", "CVSS:9.9/AV:N", "high", "AV:N/AC:L"] {
            assert_eq!(from_cvss(v), None, "{v}");
        }
    }

    #[test]
    fn words_of_each_scale() {
        let cases = [
            ("negligible", Severity::Info),
            ("LOW", Severity::Low),
            ("Moderate", Severity::Medium),
            ("medium", Severity::Medium),
            ("Important", Severity::High),
            ("HIGH", Severity::High),
            ("Critical", Severity::Critical),
        ];
        for (word, want) in cases {
            let r = from_word(word, "AlmaLinux").unwrap_or_else(|| panic!("{word}"));
            assert_eq!((r.severity, r.origin.as_str(), r.score), (want, "AlmaLinux", None), "{word}");
        }
        assert_eq!(from_word("unknown", "Node.js"), None);
        assert_eq!(from_word("untriaged", "Ubuntu"), None);
    }

    #[test]
    fn bare_scores() {
        assert_eq!(from_score(9.8, "Node.js").map(|r| r.severity), Some(Severity::Critical));
        assert_eq!(from_score(3.9, "Node.js").map(|r| r.severity), Some(Severity::Low));
        assert_eq!(from_score(4.0, "Node.js").map(|r| r.severity), Some(Severity::Medium));
        assert_eq!(from_score(8.9, "Node.js").map(|r| r.severity), Some(Severity::High));
        assert_eq!(from_score(11.0, "Node.js"), None);
        assert_eq!(from_score(f64::NAN, "Node.js"), None);
    }
}
