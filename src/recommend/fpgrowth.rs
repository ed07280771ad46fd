//! Frequent itemsets by FP-growth (Han, Pei & Yin 2000): transactions are inserted into a
//! prefix tree with items in descending frequency, and each item's conditional tree (the
//! prefix paths ending in it) is mined recursively — no candidate generation.

/// An itemset (item ids, increasing) and the number of transactions holding all of it.
pub type Itemset = (Vec<u32>, u32);

struct Node {
    /// Rank of the item (0 = most frequent); `u32::MAX` at the root.
    rank: u32,
    count: u32,
    parent: usize,
    children: Vec<usize>,
}

struct Tree {
    nodes: Vec<Node>,
    /// For each rank, the nodes holding it.
    header: Vec<Vec<usize>>,
}

impl Tree {
    fn new(ranks: usize) -> Tree {
        Tree {
            nodes: vec![Node { rank: u32::MAX, count: 0, parent: 0, children: Vec::new() }],
            header: vec![Vec::new(); ranks],
        }
    }

    /// Inserts a path of increasing ranks with multiplicity `count`.
    fn insert(&mut self, path: &[u32], count: u32) {
        let mut cur = 0usize;
        for &r in path {
            let next = self.nodes[cur].children.iter().copied().find(|&c| self.nodes[c].rank == r);
            cur = match next {
                Some(c) => c,
                None => {
                    let id = self.nodes.len();
                    self.nodes.push(Node { rank: r, count: 0, parent: cur, children: Vec::new() });
                    self.nodes[cur].children.push(id);
                    self.header[r as usize].push(id);
                    id
                }
            };
            self.nodes[cur].count += count;
        }
    }
}

/// Steps (prefix-path nodes walked) mining may take before giving up: each frequent itemset
/// costs the length of the paths of its conditional pattern base, so 100,000 itemsets of a
/// single 100-item basket cost 10^9 steps (14 s) although the itemset cap was not reached.
pub const MAX_STEPS: u64 = 100_000_000;

/// Every itemset of at most `max_len` items contained in at least `min_count` of the
/// `transactions` (each a list of distinct item ids below `n_items`). Stops with `Err(limit)`
/// once more than `limit` itemsets are found or mining passes [`MAX_STEPS`].
pub fn frequent_itemsets(
    transactions: &[Vec<u32>],
    n_items: usize,
    min_count: u32,
    max_len: usize,
    limit: usize,
) -> Result<Vec<Itemset>, usize> {
    let mut m = Miner::new(transactions, n_items, min_count, max_len, limit);
    for r in (0..m.ranks()).rev() {
        m.mine_rank(r)?;
    }
    Ok(m.finish())
}

/// FP-growth in steps, for long work: the tree is built once, then each top-level item (rank,
/// least frequent first) is mined by one [`Miner::mine_rank`] call, so a caller can report
/// progress and see an abort between them. [`frequent_itemsets`] is all the steps at once.
pub struct Miner {
    tree: Tree,
    /// Item id of each rank.
    order: Vec<u32>,
    out: Vec<Itemset>,
    suffix: Vec<u32>,
    steps: u64,
    min_count: u32,
    max_len: usize,
    limit: usize,
}

impl Miner {
    /// Builds the FP-tree of `transactions` (see [`frequent_itemsets`] for the arguments).
    pub fn new(transactions: &[Vec<u32>], n_items: usize, min_count: u32, max_len: usize, limit: usize) -> Miner {
        let mut freq = vec![0u32; n_items];
        transactions.iter().flatten().for_each(|&i| freq[i as usize] += 1);
        // Ranks: frequent items by count descending, then id.
        let mut keyed: Vec<(u64, u32)> = (0..n_items as u32)
            .filter(|&i| freq[i as usize] >= min_count.max(1))
            .map(|i| ((u32::MAX - freq[i as usize]) as u64, i))
            .collect();
        super::topk::sort_keyed(&mut keyed);
        let order: Vec<u32> = keyed.into_iter().map(|k| k.1).collect();
        let mut rank_of = vec![u32::MAX; n_items];
        order.iter().enumerate().for_each(|(r, &i)| rank_of[i as usize] = r as u32);
        let mut tree = Tree::new(order.len());
        let mut path = Vec::new();
        for t in transactions {
            path.clear();
            path.extend(t.iter().map(|&i| rank_of[i as usize]).filter(|&r| r != u32::MAX));
            path.sort_unstable();
            tree.insert(&path, 1);
        }
        Miner {
            tree,
            order,
            out: Vec::new(),
            suffix: Vec::new(),
            steps: MAX_STEPS,
            min_count: min_count.max(1),
            max_len,
            limit,
        }
    }

    /// The number of frequent single items: the steps are ranks `ranks() - 1` down to 0.
    pub fn ranks(&self) -> usize {
        self.tree.header.len()
    }

    /// Itemsets found so far.
    pub fn found(&self) -> usize {
        self.out.len()
    }

    /// Mines every itemset whose least frequent item has rank `r` (ranks in decreasing order,
    /// as [`frequent_itemsets`]).
    pub fn mine_rank(&mut self, r: usize) -> Result<(), usize> {
        let Miner { tree, out, suffix, steps, min_count, max_len, limit, .. } = self;
        mine_one(tree, r, suffix, *min_count, *max_len, *limit, out, steps)
    }

    /// The itemsets, as item ids, each sorted.
    pub fn finish(self) -> Vec<Itemset> {
        let Miner { mut out, order, .. } = self;
        for (set, _) in out.iter_mut() {
            set.iter_mut().for_each(|r| *r = order[*r as usize]);
            set.sort_unstable();
        }
        out
    }
}

fn mine(
    tree: &Tree,
    suffix: &mut Vec<u32>,
    min_count: u32,
    max_len: usize,
    limit: usize,
    out: &mut Vec<Itemset>,
    steps: &mut u64,
) -> Result<(), usize> {
    for r in (0..tree.header.len()).rev() {
        mine_one(tree, r, suffix, min_count, max_len, limit, out, steps)?;
    }
    Ok(())
}

/// The itemsets of `tree` (with `suffix` appended) whose least frequent item has rank `r`.
#[allow(clippy::too_many_arguments)]
fn mine_one(
    tree: &Tree,
    r: usize,
    suffix: &mut Vec<u32>,
    min_count: u32,
    max_len: usize,
    limit: usize,
    out: &mut Vec<Itemset>,
    steps: &mut u64,
) -> Result<(), usize> {
    let Some(nodes) = tree.header.get(r) else { return Ok(()) };
    let support: u32 = nodes.iter().map(|&n| tree.nodes[n].count).sum();
    if support < min_count {
        return Ok(());
    }
    suffix.push(r as u32);
    out.push((suffix.clone(), support));
    if out.len() > limit {
        return Err(limit);
    }
    if suffix.len() < max_len {
        // The conditional pattern base: each prefix path above a node of rank r.
        let mut counts = vec![0u32; r];
        let mut paths: Vec<(Vec<u32>, u32)> = Vec::with_capacity(nodes.len());
        *steps = steps.saturating_sub(r as u64 + 1);
        for &n in nodes {
            let c = tree.nodes[n].count;
            let mut p = Vec::new();
            let mut cur = tree.nodes[n].parent;
            while cur != 0 {
                *steps = steps.saturating_sub(1);
                let pr = tree.nodes[cur].rank;
                counts[pr as usize] += c;
                p.push(pr);
                cur = tree.nodes[cur].parent;
            }
            if !p.is_empty() {
                p.reverse();
                paths.push((p, c));
            }
        }
        if counts.iter().any(|&c| c >= min_count) {
            let mut cond = Tree::new(r);
            for (p, c) in &mut paths {
                p.retain(|&x| counts[x as usize] >= min_count);
                cond.insert(p, *c);
            }
            if *steps == 0 {
                return Err(limit);
            }
            mine(&cond, suffix, min_count, max_len, limit, out, steps)?;
        }
    }
    suffix.pop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all subsets of the item universe.
    fn brute(transactions: &[Vec<u32>], n: usize, min: u32, max_len: usize) -> Vec<Itemset> {
        let mut out = Vec::new();
        for mask in 1u32..(1 << n) {
            let set: Vec<u32> = (0..n as u32).filter(|i| mask & (1 << i) != 0).collect();
            if set.len() > max_len {
                continue;
            }
            let c = transactions.iter().filter(|t| set.iter().all(|i| t.contains(i))).count() as u32;
            if c >= min {
                out.push((set, c));
            }
        }
        crate::sort::ord(&mut out);
        out
    }

    #[test]
    fn equals_brute_force() {
        // Han, Pei & Yin's example plus some noise.
        let t: Vec<Vec<u32>> = vec![
            vec![5, 0, 2, 3, 6, 8, 12, 15],
            vec![0, 1, 2, 5, 11, 12, 14],
            vec![1, 5, 7, 9, 14],
            vec![1, 2, 10, 13],
            vec![0, 5, 2, 4, 11, 12, 15],
            vec![3, 4],
            vec![0, 1, 2, 3, 4, 5],
        ];
        for min in 1..=4 {
            for max_len in [1, 2, 3, 16] {
                let mut got = frequent_itemsets(&t, 16, min, max_len, 1 << 20).unwrap();
                got.sort();
                assert_eq!(got, brute(&t, 16, min, max_len), "min {min} max_len {max_len}");
            }
        }
        assert_eq!(frequent_itemsets(&t, 16, 1, 16, 10), Err(10));
    }
}
