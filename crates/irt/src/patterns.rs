//! Collapsing persons into unique response patterns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{IrtError, MISSING};

/// Largest item count for which patterns are keyed by a dense base-3 table (3^13 = 1.6 million slots).
const DENSE_MAX_ITEMS: usize = 13;

/// Unique response patterns (missing responses included as a third state).
///
/// Each person's row is encoded as one base-3 integer (digit 0 = no, 1 = yes, 2 = missing), so the cost of
/// every later step grows with the number of distinct patterns (at most 3^J), not with the number of
/// respondents. Patterns are kept in order of first appearance, which makes every result deterministic.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Patterns {
    n_items: usize,
    /// Pattern-major responses: `len() × n_items` values in {0, 1, MISSING}.
    responses: Vec<u8>,
    /// Number of persons (unweighted) carrying each pattern.
    person_counts: Vec<u64>,
    /// Persons left out because they answered no item.
    n_excluded: usize,
}

impl Patterns {
    /// Collapse; returns the patterns and, for each person, its pattern index (None if no answered item).
    ///
    /// ```
    /// use egov_irt::{Patterns, MISSING};
    /// let responses = [1, 0, 1, 0, MISSING, MISSING, 1, 0];
    /// let (patterns, person_pattern) = Patterns::collapse(&responses, 2).unwrap();
    /// assert_eq!(patterns.len(), 1);
    /// assert_eq!(person_pattern, vec![Some(0), Some(0), None, Some(0)]);
    /// assert_eq!(patterns.n_excluded(), 1);
    /// ```
    pub fn collapse(
        responses: &[u8],
        n_items: usize,
    ) -> Result<(Patterns, Vec<Option<u32>>), IrtError> {
        if n_items < 2 {
            return Err(IrtError::TooFewItems(n_items));
        }
        if !responses.len().is_multiple_of(n_items) {
            return Err(IrtError::RaggedResponses {
                len: responses.len(),
                n_items,
            });
        }
        let n_persons = responses.len() / n_items;
        let mut patterns = Patterns {
            n_items,
            responses: Vec::new(),
            person_counts: Vec::new(),
            n_excluded: 0,
        };
        let mut person_pattern = Vec::with_capacity(n_persons);
        if n_items <= DENSE_MAX_ITEMS {
            // One pass: validate, key and count each row (the first bad value in row order is reported,
            // as in a separate validation pass).
            let mut slot = vec![u32::MAX; 3usize.pow(n_items as u32)];
            for (row, chunk) in responses.chunks_exact(n_items).enumerate() {
                let mut key = 0usize;
                let mut answered = false;
                let mut invalid = false;
                for &value in chunk {
                    let digit = match value {
                        0 | 1 => {
                            answered = true;
                            value as usize
                        }
                        MISSING => 2,
                        _ => {
                            invalid = true;
                            0
                        }
                    };
                    key = key * 3 + digit;
                }
                if invalid
                    && let Some((item, &value)) = chunk
                        .iter()
                        .enumerate()
                        .find(|(_, v)| **v > 1 && **v != MISSING)
                {
                    return Err(IrtError::NonBinary { row, item, value });
                }
                if !answered {
                    patterns.n_excluded += 1;
                    person_pattern.push(None);
                    continue;
                }
                let index = &mut slot[key];
                if *index == u32::MAX {
                    *index = patterns.person_counts.len() as u32;
                    patterns.responses.extend_from_slice(chunk);
                    patterns.person_counts.push(0);
                }
                patterns.person_counts[*index as usize] += 1;
                person_pattern.push(Some(*index));
            }
        } else {
            for (row, chunk) in responses.chunks_exact(n_items).enumerate() {
                for (item, &value) in chunk.iter().enumerate() {
                    if value > 1 && value != MISSING {
                        return Err(IrtError::NonBinary { row, item, value });
                    }
                }
            }
            let mut slot: HashMap<&[u8], u32> = HashMap::new();
            for chunk in responses.chunks_exact(n_items) {
                if chunk.iter().all(|&v| v == MISSING) {
                    patterns.n_excluded += 1;
                    person_pattern.push(None);
                    continue;
                }
                let next = patterns.person_counts.len() as u32;
                let index = *slot.entry(chunk).or_insert(next);
                if index == next {
                    patterns.responses.extend_from_slice(chunk);
                    patterns.person_counts.push(0);
                }
                patterns.person_counts[index as usize] += 1;
                person_pattern.push(Some(index));
            }
        }
        if patterns.person_counts.is_empty() {
            return Err(IrtError::AllMissing { persons: n_persons });
        }
        Ok((patterns, person_pattern))
    }

    /// Build patterns directly from a table of unique patterns and their frequencies
    /// (e.g. a published pattern table). Rows with no answered item are rejected.
    ///
    /// ```
    /// use egov_irt::Patterns;
    /// let p = Patterns::from_table(&[0, 0, 1, 1], 2, &[3, 5]).unwrap();
    /// assert_eq!(p.len(), 2);
    /// assert_eq!(p.person_counts(), &[3, 5]);
    /// ```
    pub fn from_table(unique: &[u8], n_items: usize, counts: &[u64]) -> Result<Patterns, IrtError> {
        let (collapsed, index) = Patterns::collapse(unique, n_items)?;
        if counts.len() != index.len() {
            return Err(IrtError::WeightLength {
                what: "pattern counts",
                got: counts.len(),
                expected: index.len(),
            });
        }
        if let Some(row) = index.iter().position(Option::is_none) {
            return Err(IrtError::BadOption {
                option: "pattern table",
                reason: format!("row {row} has no answered item"),
            });
        }
        let mut person_counts = vec![0u64; collapsed.len()];
        for (slot, count) in index.iter().zip(counts) {
            person_counts[slot.unwrap() as usize] += count;
        }
        Ok(Patterns {
            person_counts,
            ..collapsed
        })
    }

    /// Sum person weights (None = 1 each) into one weight per pattern. Used by the bootstrap to reweight cheaply.
    ///
    /// Persons without a pattern (no answered item) are skipped. Indices out of range are ignored here;
    /// use [`Patterns::try_pattern_weights`] for a checked version.
    ///
    /// ```
    /// use egov_irt::Patterns;
    /// let (p, idx) = Patterns::collapse(&[1, 0, 1, 0, 0, 0], 2).unwrap();
    /// assert_eq!(p.pattern_weights(&idx, None), vec![2.0, 1.0]);
    /// assert_eq!(p.pattern_weights(&idx, Some(&[0.5, 2.0, 3.0])), vec![2.5, 3.0]);
    /// ```
    pub fn pattern_weights(
        &self,
        person_pattern: &[Option<u32>],
        person_weights: Option<&[f64]>,
    ) -> Vec<f64> {
        let mut out = vec![0.0; self.len()];
        for (person, slot) in person_pattern.iter().enumerate() {
            if let Some(p) = slot
                && let Some(w) = out.get_mut(*p as usize)
            {
                *w += person_weights.map_or(1.0, |ws| ws.get(person).copied().unwrap_or(0.0));
            }
        }
        out
    }

    /// Checked [`Patterns::pattern_weights`]: validates lengths, weights and indices.
    ///
    /// ```
    /// use egov_irt::Patterns;
    /// let (p, idx) = Patterns::collapse(&[1, 0, 0, 0], 2).unwrap();
    /// assert!(p.try_pattern_weights(&idx, Some(&[1.0, -1.0])).is_err());
    /// assert_eq!(p.try_pattern_weights(&idx, Some(&[1.0, 3.0])).unwrap(), vec![1.0, 3.0]);
    /// ```
    pub fn try_pattern_weights(
        &self,
        person_pattern: &[Option<u32>],
        person_weights: Option<&[f64]>,
    ) -> Result<Vec<f64>, IrtError> {
        if let Some(ws) = person_weights {
            crate::validate_weights(ws, person_pattern.len(), "person weights")?;
        }
        for (person, slot) in person_pattern.iter().enumerate() {
            if let Some(p) = slot
                && *p as usize >= self.len()
            {
                return Err(IrtError::PatternIndex {
                    person,
                    pattern: *p,
                    n_patterns: self.len(),
                });
            }
        }
        Ok(self.pattern_weights(person_pattern, person_weights))
    }

    /// Number of unique patterns.
    pub fn len(&self) -> usize {
        self.person_counts.len()
    }

    /// True when there is no pattern (never the case for a successfully collapsed matrix).
    pub fn is_empty(&self) -> bool {
        self.person_counts.is_empty()
    }

    /// Number of items per pattern.
    pub fn n_items(&self) -> usize {
        self.n_items
    }

    /// The responses of pattern `index` (0, 1 or MISSING per item).
    pub fn pattern(&self, index: usize) -> &[u8] {
        &self.responses[index * self.n_items..(index + 1) * self.n_items]
    }

    /// All pattern responses, pattern-major.
    pub fn responses(&self) -> &[u8] {
        &self.responses
    }

    /// Unweighted number of persons with each pattern.
    pub fn person_counts(&self) -> &[u64] {
        &self.person_counts
    }

    /// Unweighted counts as `f64` weights (the frequency weights of the collapsed data).
    pub fn count_weights(&self) -> Vec<f64> {
        self.person_counts.iter().map(|&c| c as f64).collect()
    }

    /// Persons left out at collapse time because they answered no item.
    pub fn n_excluded(&self) -> usize {
        self.n_excluded
    }

    /// Base-3 key of a pattern (digit 0 = no, 1 = yes, 2 = missing; first item most significant).
    /// Returns None when the key does not fit in 64 bits (more than 40 items).
    pub fn key(&self, index: usize) -> Option<u64> {
        if self.n_items > 40 {
            return None;
        }
        Some(self.pattern(index).iter().fold(0u64, |k, &v| {
            k * 3 + if v == MISSING { 2 } else { v as u64 }
        }))
    }
}
