//! Tarjan's strongly connected components over a graph of `n` nodes given as adjacency lists.

struct Tarjan<'a> {
    adj: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    out: Vec<Vec<usize>>,
}

/// Every strongly connected component, each sorted; singletons included.
pub fn components(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let mut t = Tarjan {
        adj,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.out
}

impl Tarjan<'_> {
    // Recursion depth is bounded by a crate's file count (a few hundred).
    fn visit(&mut self, v: usize) {
        self.index[v] = Some(self.next);
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        for &w in &self.adj[v] {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(self.low[v]) == self.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            comp.sort_unstable();
            self.out.push(comp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rings_and_leaves_chains_apart() {
        // 0 -> 1 -> 2 -> 0 is a ring; 3 -> 4 a chain; 4 <-> 5 a pair.
        let adj = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![5], vec![4]];
        let mut comps: Vec<Vec<usize>> =
            components(&adj).into_iter().filter(|c| c.len() > 1).collect();
        comps.sort();
        assert_eq!(comps, vec![vec![0, 1, 2], vec![4, 5]]);
    }
}
