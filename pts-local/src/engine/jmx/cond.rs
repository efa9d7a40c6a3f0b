//! If Controller conditions without a script engine: after `${}` substitution, either the text
//! `true` (`useExpression`) or a comparison in JavaScript syntax (`"${a}" == "x" && ${n} > 2`).

/// A parsed condition; operands are `T` (raw text at load, templates at run time).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr<T> {
    /// A quoted string.
    Str(T),
    /// A bare operand: a number, `true`/`false`, or a variable that holds one.
    Bare(T),
    Not(Box<Expr<T>>),
    And(Box<Expr<T>>, Box<Expr<T>>),
    Or(Box<Expr<T>>, Box<Expr<T>>),
    Cmp(Cmp, Box<Expr<T>>, Box<Expr<T>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Bare(String),
    Op(&'static str),
}

const OPS: [&str; 14] =
    ["===", "!==", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "="];

fn tokens(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' || c == b'\'' {
            let end = s[i + 1..].find(c as char).ok_or("a quoted string is not closed")? + i + 1;
            out.push(Tok::Str(s[i + 1..end].to_string()));
            i = end + 1;
        } else if let Some(op) = OPS.iter().find(|o| s[i..].starts_with(**o)) {
            if *op == "=" {
                return Err("`=` assigns; compare with `==`".into());
            }
            out.push(Tok::Op(op));
            i += op.len();
        } else {
            let start = i;
            while i < b.len() {
                if s[i..].starts_with("${") {
                    i += s[i..].find('}').ok_or("a ${ reference is not closed")? + 1;
                } else if b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-' | b'+')
                {
                    i += 1;
                } else {
                    break;
                }
            }
            if i == start {
                return Err(format!("unexpected `{}`", &s[i..].chars().next().unwrap_or(' ')));
            }
            out.push(Tok::Bare(s[start..i].to_string()));
        }
    }
    Ok(out)
}

struct P {
    toks: Vec<Tok>,
    i: usize,
}

impl P {
    fn eat(&mut self, op: &str) -> bool {
        if matches!(self.toks.get(self.i), Some(Tok::Op(o)) if *o == op) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Expr<String>, String> {
        let mut l = self.and()?;
        while self.eat("||") {
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr<String>, String> {
        let mut l = self.unary()?;
        while self.eat("&&") {
            l = Expr::And(Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<Expr<String>, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let l = self.primary()?;
        for (op, cmp) in [
            ("===", Cmp::Eq),
            ("==", Cmp::Eq),
            ("!==", Cmp::Ne),
            ("!=", Cmp::Ne),
            ("<=", Cmp::Le),
            (">=", Cmp::Ge),
            ("<", Cmp::Lt),
            (">", Cmp::Gt),
        ] {
            if self.eat(op) {
                return Ok(Expr::Cmp(cmp, Box::new(l), Box::new(self.primary()?)));
            }
        }
        Ok(l)
    }
    fn primary(&mut self) -> Result<Expr<String>, String> {
        let t = self.toks.get(self.i).cloned().ok_or("the condition ends too early")?;
        self.i += 1;
        match t {
            Tok::Op("(") => {
                let e = self.or()?;
                if !self.eat(")") {
                    return Err("a `(` is not closed".into());
                }
                Ok(e)
            }
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Bare(b) => {
                if self.toks.get(self.i) == Some(&Tok::Op("(")) {
                    return Err(format!("calling `{b}(...)` needs a script engine"));
                }
                Ok(Expr::Bare(b))
            }
            Tok::Op(o) => Err(format!("unexpected `{o}`")),
        }
    }
}

/// Refuses conditions that need a script engine.
fn no_functions(text: &str) -> Result<(), String> {
    if let Some(i) = text.find("${__") {
        let name: String =
            text[i + 2..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        return Err(format!(
            "`{name}` is a script function; pts-local evaluates conditions without a script \
             engine: use a variable holding true/false, or a comparison such as \"${{v}}\" == \"x\""
        ));
    }
    Ok(())
}

/// Parses a JavaScript-style condition.
pub(crate) fn parse(text: &str) -> Result<Expr<String>, String> {
    no_functions(text)?;
    let mut p = P { toks: tokens(text)?, i: 0 };
    let e = p.or()?;
    if p.i != p.toks.len() {
        return Err(format!("unexpected text after position {}", p.i));
    }
    Ok(e)
}

/// Checks a condition as written in the plan.
pub(crate) fn check(text: &str, expression: bool) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty".into());
    }
    if expression { no_functions(text) } else { parse(text).map(|_| ()) }
}

impl Expr<String> {
    /// Replaces each operand text by `f(text)`.
    pub(crate) fn compile<U, E>(
        &self,
        f: &mut dyn FnMut(&str) -> Result<U, E>,
    ) -> Result<Expr<U>, E> {
        Ok(match self {
            Expr::Str(s) => Expr::Str(f(s)?),
            Expr::Bare(s) => Expr::Bare(f(s)?),
            Expr::Not(e) => Expr::Not(Box::new(e.compile(f)?)),
            Expr::And(a, b) => Expr::And(Box::new(a.compile(f)?), Box::new(b.compile(f)?)),
            Expr::Or(a, b) => Expr::Or(Box::new(a.compile(f)?), Box::new(b.compile(f)?)),
            Expr::Cmp(c, a, b) => Expr::Cmp(*c, Box::new(a.compile(f)?), Box::new(b.compile(f)?)),
        })
    }
}

/// A value during evaluation.
enum Val {
    Bool(bool),
    Num(f64),
    Text(String),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Bool(b) => *b,
            Val::Num(n) => *n != 0.0 && !n.is_nan(),
            Val::Text(t) => !t.is_empty(),
        }
    }
    fn num(&self) -> Option<f64> {
        match self {
            Val::Bool(b) => Some(f64::from(u8::from(*b))),
            Val::Num(n) => Some(*n),
            Val::Text(t) => t.trim().parse().ok(),
        }
    }
}

impl<T> Expr<T> {
    /// Evaluates with `render` giving each operand's text.
    pub(crate) fn eval(&self, render: &dyn Fn(&T) -> String) -> bool {
        self.value(render).truthy()
    }

    fn value(&self, render: &dyn Fn(&T) -> String) -> Val {
        match self {
            Expr::Str(t) => Val::Text(render(t)),
            Expr::Bare(t) => {
                let s = render(t);
                match s.trim() {
                    "true" => Val::Bool(true),
                    "false" => Val::Bool(false),
                    v => v.parse().map(Val::Num).unwrap_or(Val::Text(s)),
                }
            }
            Expr::Not(e) => Val::Bool(!e.eval(render)),
            Expr::And(a, b) => Val::Bool(a.eval(render) && b.eval(render)),
            Expr::Or(a, b) => Val::Bool(a.eval(render) || b.eval(render)),
            Expr::Cmp(c, a, b) => {
                let (a, b) = (a.value(render), b.value(render));
                let ord = match (&a, &b) {
                    (Val::Text(x), Val::Text(y)) => x.partial_cmp(y),
                    _ => match (a.num(), b.num()) {
                        (Some(x), Some(y)) => x.partial_cmp(&y),
                        _ => None,
                    },
                };
                use std::cmp::Ordering::*;
                Val::Bool(match c {
                    Cmp::Eq => ord == Some(Equal),
                    Cmp::Ne => ord != Some(Equal),
                    Cmp::Lt => ord == Some(Less),
                    Cmp::Gt => ord == Some(Greater),
                    Cmp::Le => matches!(ord, Some(Less | Equal)),
                    Cmp::Ge => matches!(ord, Some(Greater | Equal)),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cond: &str, vars: &[(&str, &str)]) -> bool {
        let e = parse(cond).unwrap();
        e.eval(&|t: &String| {
            let mut s = t.clone();
            for (k, v) in vars {
                s = s.replace(&format!("${{{k}}}"), v);
            }
            s
        })
    }

    #[test]
    fn conditions() {
        assert!(run(r#""${m}" == "GET""#, &[("m", "GET")]));
        assert!(!run(r#""${m}" == "GET""#, &[("m", "POST")]));
        assert!(run(r#"${n} > 2 && "${m}" != 'x'"#, &[("n", "10"), ("m", "y")]));
        assert!(!run("${n} > 2", &[("n", "1")]));
        assert!(run("!(${ok}) || true", &[("ok", "true")]));
        assert!(run("${ok}", &[("ok", "true")]));
        assert!(!run("${ok}", &[("ok", "false")]));
        assert!(!run(r#""10" > "9""#, &[]));
        assert!(run("10 > 9", &[]));
        for bad in ["${__jexl3(1==1)}", "vars.get('a') == 'b'", "a = 1", "(1 == 1", ""] {
            assert!(check(bad, false).is_err(), "{bad}");
        }
        assert!(check("${__groovy(true)}", true).unwrap_err().contains("__groovy"));
        assert!(check("${flag}", true).is_ok());
    }
}
