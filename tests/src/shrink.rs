//! Minimising a program that shows something (a disagreement with the kernel, a soundness
//! counterexample): drop chunks of lines, halving the chunk, while it still shows.

/// Drops runs of lines from `body` while `still` holds for what is left. Every trial counts
/// one in `tests` (`still` may raise it to stop early, e.g. on a deadline); at most
/// `max_tests` trials in all.
pub fn drop_lines(
    mut body: Vec<String>,
    max_tests: usize,
    tests: &mut usize,
    still: &mut dyn FnMut(&[String], &mut usize) -> bool,
) -> Vec<String> {
    let mut chunk = (body.len() / 2).max(1);
    loop {
        let mut changed = false;
        let mut i = 0;
        while i < body.len() && *tests < max_tests {
            let end = (i + chunk).min(body.len());
            let mut cand = body.clone();
            cand.drain(i..end);
            *tests += 1;
            if !cand.is_empty() && still(&cand, tests) {
                body = cand;
                changed = true;
            } else {
                i += chunk;
            }
        }
        if *tests >= max_tests {
            break;
        }
        if chunk > 1 {
            chunk /= 2;
        } else if !changed {
            break;
        }
    }
    body
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_only_the_lines_that_matter() {
        let body: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let mut tests = 0;
        let out = super::drop_lines(body, 1000, &mut tests, &mut |c, _| {
            c.contains(&"7".to_string()) && c.contains(&"13".to_string())
        });
        assert_eq!(out, ["7", "13"]);
        assert!(tests > 0 && tests < 1000);
    }
}
