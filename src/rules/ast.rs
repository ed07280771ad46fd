//! The untyped syntax tree both rule forms (expression text, JSON Logic) parse into.
//!
//! Every node carries `at`: where it came from, for error messages (a byte range of the
//! expression text, or the index of a JSON path in the JSON Logic converter's table), and
//! `depth`, the height of its subtree, checked against [`MAX_DEPTH`] as each node is built so
//! that no later pass (type check, fold, drop) can recurse deeper than that.

/// A problem found in a rule, before it is turned into a [`crate::CrmError`] with a line and
/// column (text) or a JSON path (JSON Logic) by [`super::diag`].
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub message: String,
    pub at: Span,
}

impl Diag {
    pub fn new(message: impl Into<String>, at: Span) -> Diag {
        Diag { message: message.into(), at }
    }
}

pub type DResult<T> = std::result::Result<T, Diag>;

/// Longest expression text accepted, in bytes.
pub const MAX_EXPR_BYTES: usize = 64 * 1024;
/// Deepest nesting accepted (parentheses, `not`, operators, function calls). Every pass over
/// a rule recurses at most this deep; 64 levels leave room on a 1 MB wasm stack and in
/// unoptimised builds, and are far beyond what people or query builders write.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a JSON Logic rule may have.
pub const MAX_JSON_NODES: usize = 16 * 1024;

/// Where a node came from: `start..end` bytes of the expression text, or (JSON Logic)
/// `start` is an index into the converter's path table and `end` is unused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
    /// The same comparison with its operands swapped (`a < b` ⇔ `b > a`).
    pub fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        }
    }
}

/// Text tests: `contains`, `starts with`, `ends with`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextOp {
    pub fn word(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts with",
            TextOp::EndsWith => "ends with",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Num(f64),
    Str(String),
    Bool(bool),
    Column(String),
    /// A function call; the name is lower-cased.
    Call(String, Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        lo: Box<Expr>,
        hi: Box<Expr>,
        negated: bool,
    },
    IsMissing {
        expr: Box<Expr>,
        negated: bool,
    },
    Text {
        op: TextOp,
        expr: Box<Expr>,
        pattern: Box<Expr>,
        negated: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: Kind,
    pub at: Span,
    /// Height of the subtree (a leaf is 1).
    pub depth: u32,
}

impl Expr {
    pub fn leaf(kind: Kind, at: Span) -> Expr {
        Expr { kind, at, depth: 1 }
    }

    /// A node over its children; fails when it would be deeper than [`MAX_DEPTH`].
    pub fn node(kind: Kind, at: Span) -> DResult<Expr> {
        let depth = 1 + kind.children().map(|c| c.depth).max().unwrap_or(0);
        if depth as usize > MAX_DEPTH {
            return Err(Diag::new(too_deep_message(), at));
        }
        Ok(Expr { kind, at, depth })
    }

    pub fn is_literal(&self) -> bool {
        matches!(self.kind, Kind::Num(_) | Kind::Str(_) | Kind::Bool(_))
    }
}

pub fn too_deep_message() -> String {
    format!(
        "the expression is nested more than {MAX_DEPTH} levels deep (each parenthesis, `not`, function call \
         and each operator of a long + - * / chain counts one level)"
    )
}

impl Kind {
    pub fn children(&self) -> Box<dyn Iterator<Item = &Expr> + '_> {
        match self {
            Kind::Num(_) | Kind::Str(_) | Kind::Bool(_) | Kind::Column(_) => Box::new(std::iter::empty()),
            Kind::Call(_, args) | Kind::And(args) | Kind::Or(args) => Box::new(args.iter()),
            Kind::Neg(e) | Kind::Not(e) | Kind::IsMissing { expr: e, .. } => Box::new(std::iter::once(&**e)),
            Kind::Arith(_, a, b) | Kind::Cmp(_, a, b) => Box::new([&**a, &**b].into_iter()),
            Kind::Text { expr, pattern, .. } => Box::new([&**expr, &**pattern].into_iter()),
            Kind::In { expr, list, .. } => Box::new(std::iter::once(&**expr).chain(list.iter())),
            Kind::Between { expr, lo, hi, .. } => Box::new([&**expr, &**lo, &**hi].into_iter()),
        }
    }
}
