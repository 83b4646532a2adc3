//! Recursive types: struct fields that lead back to their own struct without passing through
//! a `Vec` or map (which already allocate) are boxed, so every type has a finite size.

use super::{InputSource, Operation, Ty, TypeDef, TypeKind};

pub(super) fn box_recursive_fields(types: &mut [TypeDef], operations: &mut [Operation]) {
    fn direct_target(ty: &Ty, out: &mut Vec<usize>) {
        if let Ty::Named(id) = ty {
            out.push(id.0);
        }
    }
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct_target(&f.ty, &mut out)),
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .for_each(|v| direct_target(&v.ty, &mut out)),
                TypeKind::Alias(ty) => direct_target(ty, &mut out),
                TypeKind::Enum(_) => {}
            }
            out
        })
        .collect();
    // A field from struct `i` to type `t` leads back to `i` exactly when both are in the same
    // strongly connected component: one linear pass, instead of a search per field (which is
    // quadratic on a spec with thousands of mutually referring types).
    let component = strongly_connected_components(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for f in &mut s.fields {
                f.boxed = matches!(f.ty, Ty::Named(id) if component[id.0] == component[i]);
            }
        }
    }
    // Builders set body fields in place, so they box what the struct boxes.
    for op in operations {
        let Some(id) = op.body.as_ref().and_then(|b| b.flattened) else {
            continue;
        };
        let TypeKind::Struct(s) = &types[id.0].kind else {
            continue;
        };
        for input in &mut op.inputs {
            if let InputSource::BodyField { field, boxed } = &mut input.source {
                *boxed = s.fields.iter().any(|f| f.rust_name == *field && f.boxed);
            }
        }
    }
}

/// The component of each node of a directed graph (Kosaraju's algorithm, iterative so that
/// long reference chains cannot overflow the stack).
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // 1. Nodes in order of finishing a depth-first search.
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((node, next_edge)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next_edge) {
                *next_edge += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    // 2. Search the reversed graph in reverse finishing order: each search is one component.
    let mut reversed = vec![Vec::new(); n];
    for (from, tos) in edges.iter().enumerate() {
        for &to in tos {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = count;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn components_group_cycles_and_nothing_else() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 leads into it; 4 refers to itself; 5 is alone.
        let c =
            strongly_connected_components(&[vec![1], vec![2], vec![0], vec![0], vec![4], vec![]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[4] && c[5] != c[3]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected_components(&edges);
        assert!(c.iter().all(|&x| x == c[0]), "one big cycle");
    }
}
