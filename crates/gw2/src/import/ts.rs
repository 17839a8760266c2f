//! A reader for the subset of TypeScript object literals that discretize's `gw2-data.ts` uses
//! for its tables (objects, arrays, quoted strings, numbers with `+`/`-` arithmetic, dotted
//! identifiers, comments). Taking the `.ts` text as is spares a hand-converted copy that would
//! drift from the upstream file.

use std::collections::BTreeMap;

/// A parsed literal value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Object(BTreeMap<String, Value>),
    Array(Vec<Value>),
    Str(String),
    Num(f64),
    /// An identifier or dotted path (`healthValues.HIGH`, `true`).
    Ident(String),
}

impl Value {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// Parses the object literal assigned by `const NAME` (optionally `export`ed and typed).
/// Returns a message on failure (the caller wraps it into its error type).
pub(crate) fn parse_const(src: &str, name: &str) -> Result<Value, String> {
    let needle = format!("const {name}");
    let mut search = 0;
    let start = loop {
        let pos = src[search..]
            .find(&needle)
            .map(|p| p + search)
            .ok_or_else(|| format!("`const {name}` not found"))?;
        let after = pos + needle.len();
        // Require a word boundary so `Affix` does not match `AffixName`.
        match src[after..].chars().next() {
            Some(c) if c.is_alphanumeric() || c == '_' => search = after,
            _ => break after,
        }
    };
    let eq = src[start..]
        .find('=')
        .ok_or_else(|| format!("`const {name}` has no initializer"))?;
    let mut p = Parser {
        s: src.as_bytes(),
        i: start + eq + 1,
    };
    p.value()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!("{what} at byte {}", self.i)
    }

    fn skip_ws(&mut self) {
        loop {
            while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if self.s[self.i..].starts_with(b"//") {
                while self.i < self.s.len() && self.s[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if self.s[self.i..].starts_with(b"/*") {
                match self.s[self.i + 2..].windows(2).position(|w| w == b"*/") {
                    Some(p) => self.i += p + 4,
                    None => self.i = self.s.len(),
                }
            } else {
                return;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    fn value(&mut self) -> Result<Value, String> {
        let v = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'\'') | Some(b'"') => Value::Str(self.string()?),
            Some(c) if c.is_ascii_digit() || c == b'-' => Value::Num(self.arith()?),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => Value::Ident(self.path()),
            _ => return Err(self.err("expected a value")),
        };
        // `as const` / `as Type` suffixes are type-level only.
        if self.peek() == Some(b'a') && self.s[self.i..].starts_with(b"as ") {
            self.i += 3;
            self.skip_type();
        }
        Ok(v)
    }

    fn skip_type(&mut self) {
        let mut depth = 0i32;
        while let Some(c) = self.peek() {
            match c {
                b'[' | b'(' | b'<' | b'{' => depth += 1,
                b']' | b')' | b'>' | b'}' if depth > 0 => depth -= 1,
                b',' | b']' | b'}' | b';' if depth == 0 => return,
                _ => {}
            }
            self.i += 1;
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut m = BTreeMap::new();
        loop {
            match self.peek() {
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Object(m));
                }
                Some(b',') => self.i += 1,
                Some(b'\'') | Some(b'"') => {
                    let k = self.string()?;
                    self.colon()?;
                    m.insert(k, self.value()?);
                }
                Some(c) if c.is_ascii_alphanumeric() || c == b'_' => {
                    let k = self.path();
                    self.colon()?;
                    m.insert(k, self.value()?);
                }
                _ => return Err(self.err("expected a key or `}`")),
            }
        }
    }

    fn colon(&mut self) -> Result<(), String> {
        if self.peek() == Some(b':') {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err("expected `:`"))
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.i += 1;
        let mut v = Vec::new();
        loop {
            match self.peek() {
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Array(v));
                }
                Some(b',') => self.i += 1,
                Some(_) => v.push(self.value()?),
                None => return Err(self.err("unterminated array")),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let q = self.s[self.i];
        self.i += 1;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != q {
            let step = if self.s[self.i] == b'\\' { 2 } else { 1 };
            self.i = (self.i + step).min(self.s.len());
        }
        if self.i >= self.s.len() {
            return Err(self.err("unterminated string"));
        }
        let out = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.i += 1;
        Ok(out)
    }

    fn number(&mut self) -> Result<f64, String> {
        self.skip_ws();
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        while self.i < self.s.len() && (self.s[self.i].is_ascii_digit() || self.s[self.i] == b'.') {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| self.err("bad number"))
    }

    fn arith(&mut self) -> Result<f64, String> {
        let mut acc = self.number()?;
        loop {
            match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    acc -= self.number()?;
                }
                Some(b'+') => {
                    self.i += 1;
                    acc += self.number()?;
                }
                _ => return Ok(acc),
            }
        }
    }

    fn path(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || matches!(self.s[self.i], b'_' | b'.'))
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tables() {
        let src = "// c\nexport const AffixName = 1;\nexport const Affix: Record<A, B> = {\n  Berserker: { type: 'triple', bonuses: { major: ['Power'], minor: ['Precision', 'Ferocity'] } }, /* x */\n  'Two words': [1, 157 - 32, 2 + 3,],\n  x: { a: [1] as [number], b: 'q' as const },\n};";
        let v = parse_const(src, "Affix").unwrap();
        let b = v.get("Berserker").unwrap();
        assert_eq!(b.get("type").unwrap().as_str(), Some("triple"));
        let arr = v.get("Two words").unwrap().as_array().unwrap();
        assert_eq!(arr[1].as_num(), Some(125.0));
        assert_eq!(arr[2].as_num(), Some(5.0));
        assert_eq!(v.get("x").unwrap().get("b").unwrap().as_str(), Some("q"));
        assert!(parse_const(src, "Missing").is_err());
        assert!(parse_const("const A = {", "A").is_err());
    }
}
