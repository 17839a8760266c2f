//! Which resources to ask for. Ids are kept as the text sent in `ids=` because the API mixes
//! numeric ids (skills, traits) and string ids (professions, legends, WvW matches and objectives).

use std::fmt::Display;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ids {
    /// `ids=all` where the endpoint supports it, else the id list and then batches.
    All,
    List(Vec<String>),
}

impl Ids {
    pub fn list<I: Display>(ids: impl IntoIterator<Item = I>) -> Self {
        Ids::List(ids.into_iter().map(|id| id.to_string()).collect())
    }
}

impl<T: Display> From<Vec<T>> for Ids {
    fn from(ids: Vec<T>) -> Self {
        Ids::list(ids)
    }
}

impl<T: Display> From<&[T]> for Ids {
    fn from(ids: &[T]) -> Self {
        Ids::list(ids)
    }
}

impl<T: Display, const N: usize> From<[T; N]> for Ids {
    fn from(ids: [T; N]) -> Self {
        Ids::list(ids)
    }
}

impl<T: Display, const N: usize> From<&[T; N]> for Ids {
    fn from(ids: &[T; N]) -> Self {
        Ids::list(ids)
    }
}

impl<T: Display> From<&Vec<T>> for Ids {
    fn from(ids: &Vec<T>) -> Self {
        Ids::list(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_keep_the_api_spelling() {
        assert_eq!(
            Ids::from([1u32, 20]),
            Ids::List(vec!["1".into(), "20".into()])
        );
        assert_eq!(
            Ids::from(vec!["Guardian"]),
            Ids::List(vec!["Guardian".into()])
        );
        let owned = vec![String::from("1-2")];
        assert_eq!(Ids::from(&owned), Ids::List(vec!["1-2".into()]));
        assert_eq!(Ids::from(&[7u32][..]), Ids::List(vec!["7".into()]));
    }
}
