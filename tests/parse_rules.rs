//! The runbook model's rules, checked on fixture runbooks written for them (`tests/fixtures/`).
#![allow(clippy::unwrap_used)]

use runbook::runbook::{Risk, Runbook, Step, StepKind, parse_titled};

fn fixture(name: &str) -> Runbook {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse_titled(&text, name.trim_end_matches(".md"))
}

fn titled<'a>(book: &'a Runbook, title: &str) -> &'a Step {
    book.steps
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| {
            panic!(
                "no step titled {title:?}; have {:?}",
                book.steps.iter().map(|s| &s.title).collect::<Vec<_>>()
            )
        })
}

fn texts(step: &Step) -> Vec<&str> {
    step.commands.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn nested_blocks_belong_to_their_task_item_at_any_indent() {
    let book = fixture("nested.md");
    let two = titled(&book, "Two-space indent");
    assert_eq!(two.kind, StepKind::Check);
    assert_eq!(texts(two), ["kubectl get nodes"]);
    assert_eq!(two.commands[0].line, 7);
    assert_eq!(
        texts(titled(&book, "Three-space indent")),
        ["kubectl get pods -A"]
    );
    let numbered = titled(&book, "Numbered item with four spaces");
    assert_eq!(numbered.kind, StepKind::Check);
    assert_eq!(texts(numbered), ["kubectl get deploy -n shop"]);
    let six = titled(&book, "Six-space indent inside a loose item");
    assert_eq!(six.code.as_deref(), Some("indented code is a block too"));
    assert!(
        six.commands.is_empty(),
        "prose in an indented block is a note, not a command"
    );
}

#[test]
fn nested_task_items_have_depth_and_parent() {
    let book = fixture("nested.md");
    let done = titled(&book, "Already done item");
    assert!(done.checked);
    assert_eq!(done.depth, 0);
    let child = titled(&book, "Nested child check");
    assert_eq!((child.depth, child.parent), (1, Some(done.number)));
    assert!(!child.checked);
    assert_eq!(texts(child), ["kubectl rollout status deploy/web -n shop"]);
    assert_eq!(child.expect, ["deployment \"web\" successfully rolled out"]);
    let second = titled(&book, "Second child");
    assert_eq!(second.parent, Some(done.number));
    let grandchild = titled(&book, "Grandchild");
    assert_eq!(
        (grandchild.depth, grandchild.parent),
        (2, Some(second.number))
    );
    assert!(grandchild.code.is_none() && grandchild.lang.is_none() && grandchild.risk.is_none());
}

#[test]
fn blockquotes_hold_checks_and_commands() {
    let book = fixture("nested.md");
    let quoted = titled(&book, "Check inside a quote");
    assert_eq!(texts(quoted), ["kubectl get events -n shop"]);
    let top = book
        .steps
        .iter()
        .find(|s| s.code.as_deref() == Some("kubectl top pods -n shop"))
        .unwrap();
    assert_eq!(top.kind, StepKind::Command);
    assert_eq!(top.title, "Some quoted prose.");
    assert_eq!(*top.section, ["Nested blocks", "Blockquotes"]);
}

#[test]
fn several_blocks_join_into_one_check() {
    let book = fixture("nested.md");
    let vault = titled(&book, "Verify Key Vault accessible");
    assert_eq!(vault.lang.as_deref(), Some("bash"));
    assert!(vault.manifest, "the nested yaml block is a manifest");
    assert_eq!(texts(vault), ["az keyvault show --name kv-shop"]);
    assert!(vault.code.as_deref().unwrap().contains("kind: ConfigMap"));
    assert_eq!(vault.expect, ["the vault is listed"]);
    assert_eq!(vault.risk, Some(Risk::Read));
}

#[test]
fn fences_of_every_shape() {
    let book = fixture("fences.md");
    let kinds: Vec<_> = book
        .steps
        .iter()
        .map(|s| (s.title.as_str(), s.kind))
        .collect();
    assert_eq!(book.steps.len(), 5, "{kinds:?}");
    assert!(
        book.steps.iter().all(|s| s.kind != StepKind::Check),
        "task items inside a markdown fence are not steps"
    );
    assert_eq!(texts(&book.steps[0]), ["echo tilde"]);
    let example = &book.steps[1];
    assert_eq!(example.kind, StepKind::Note);
    assert_eq!(
        example.code.as_deref(),
        Some("Some doc:\n```bash\nrm -rf /\n```")
    );
    assert_eq!(book.steps[2].kind, StepKind::Note);
    assert_eq!(texts(&book.steps[3]), ["echo five tildes"]);
    assert_eq!(
        book.steps[4].annotations["info"],
        "title=\"deploy.sh\" linenums"
    );
    assert!(book.warnings.is_empty(), "{:?}", book.warnings);
}

#[test]
fn unterminated_fence_is_a_warning_and_the_block_still_loads() {
    let book = fixture("unterminated.md");
    assert_eq!(book.warnings.len(), 1);
    assert_eq!(book.warnings[0].line, 5);
    assert!(book.warnings[0].message.contains("unterminated"));
    assert_eq!(texts(&book.steps[0]), ["echo one", "echo two"]);
}

#[test]
fn heredocs_and_multiline_quotes_stay_in_one_command() {
    let book = fixture("heredocs.md");
    let apply = titled(&book, "Apply a manifest");
    assert_eq!(apply.commands.len(), 2);
    assert!(
        apply.commands[0]
            .text
            .starts_with("cat <<EOF | kubectl apply -f -\n")
    );
    assert!(apply.commands[0].text.ends_with("\nEOF"));
    assert_eq!(apply.commands[0].risk, Risk::Write);
    assert_eq!(apply.commands[1].text, "kubectl get ns shop");
    let quoted = titled(&book, "Quoted marker keeps variables literal");
    assert_eq!(quoted.commands.len(), 2);
    assert_eq!(
        quoted.variables,
        ["REGION"],
        "quoted heredoc bodies are not variables"
    );
    assert!(
        !quoted.commands[1].interactive,
        "psql fed by a heredoc needs no keyboard"
    );
    let tabs = titled(&book, "Tab-stripped heredoc and a here-string");
    assert_eq!(tabs.commands.len(), 2);
    assert!(tabs.commands[0].text.ends_with("fi"));
    assert_eq!(tabs.commands[1].text, "grep -c ok <<< \"$STATUS_LINE\"");
    let spanning = titled(&book, "A quote spanning lines");
    assert_eq!(
        texts(spanning),
        [
            "kubectl annotate deploy web -n shop note=\"first line\nsecond line\"",
            "echo after"
        ]
    );
    assert_eq!(spanning.commands[1].line, spanning.commands[0].line + 2);
    let pipes = titled(&book, "Continuations and pipelines");
    assert_eq!(pipes.commands.len(), 2);
    assert_eq!(pipes.commands[0].text.lines().count(), 4);
    let drop = titled(&book, "Destructive SQL through a heredoc");
    assert_eq!(drop.risk, Some(Risk::Destructive));
}

#[test]
fn placeholders_are_not_redirections_html_or_templates() {
    let book = fixture("placeholders.md");
    let scale = titled(&book, "Scale a replica set");
    assert_eq!(scale.placeholders, ["replicaset-name", "namespace"]);
    assert_eq!(scale.commands.len(), 1);
    assert_eq!(scale.risk, Some(Risk::Destructive));
    let noise = titled(
        &book,
        "Redirections, here-strings and templates are not placeholders",
    );
    assert_eq!(noise.placeholders, ["pod-name", "tag"]);
    assert_eq!(noise.variables, ["ENCODED"]);
}

#[test]
fn variables_exclude_substitutions_assignments_and_shell_builtins() {
    let book = fixture("placeholders.md");
    let step = titled(&book, "Command substitution is not a variable");
    assert_eq!(step.variables, ["SINCE", "NAMESPACE", "NODES", "VERSION"]);
}

#[test]
fn front_matter_yaml() {
    let book = fixture("frontmatter-yaml.md");
    assert_eq!(book.title, "Payment service rollout");
    assert_eq!(book.meta.namespace.as_deref(), Some("payments"));
    assert_eq!(book.meta.context.as_deref(), Some("staging-eu"));
    assert_eq!(book.meta.cwd.as_deref(), Some("/srv/payments"));
    assert!(book.meta.variables["DB_PASSWORD"].secret);
    assert_eq!(book.meta.extra["owner"], "team-pay");
    assert_eq!(book.steps.len(), 1);
    assert_eq!(
        book.steps[0].title, "Intro text without a heading.",
        "only a trailing `:` is dropped"
    );
    assert_eq!(book.steps[0].line, 22);
    assert!(book.steps[0].section.is_empty());
}

#[test]
fn front_matter_toml_and_broken() {
    let book = fixture("frontmatter-toml.md");
    assert_eq!(
        book.title, "Flush the cache",
        "the H1 wins over the front-matter title"
    );
    assert_eq!(
        book.meta.variables["REDIS_HOST"].default.as_deref(),
        Some("redis.cache.svc")
    );
    let bad = fixture("frontmatter-bad.md");
    assert_eq!(bad.title, "Still loads");
    assert_eq!(bad.warnings.len(), 1);
    assert_eq!(bad.warnings[0].line, 1);
    assert_eq!(bad.steps.len(), 1);
}

#[test]
fn runme_attributes() {
    let book = fixture("runme.md");
    let deploy = &book.steps[0];
    assert_eq!(deploy.id, "deploy-api");
    assert_eq!(deploy.annotations["excludeFromRunAll"], "true");
    assert!(!deploy.commands[0].interactive);
    let tail = &book.steps[1];
    assert_eq!(tail.id, "tail-logs");
    assert!(tail.commands[0].long_running);
    assert_eq!(tail.annotations["cwd"], "/tmp");
    let ignored = &book.steps[2];
    assert_eq!(ignored.kind, StepKind::Note);
    assert!(ignored.commands.is_empty() && ignored.risk.is_none());
    let confirm = &book.steps[3];
    assert_eq!(confirm.risk, Some(Risk::Destructive));
    assert_eq!(
        confirm.annotations["confirm"],
        "type the namespace to delete it"
    );
    let read = &book.steps[4];
    assert_eq!(read.risk, Some(Risk::Read));
    assert_eq!(
        read.commands[0].risk,
        Risk::Read,
        "the risk attribute overrides every command"
    );
}

#[test]
fn console_blocks_split_prompts_from_output() {
    let book = fixture("console.md");
    let nodes = titled(&book, "Check the nodes");
    assert_eq!(
        texts(nodes),
        [
            "kubectl get nodes",
            "kubectl get pods -n shop \\\n    -o wide"
        ]
    );
    assert_eq!(nodes.commands[1].line, 10);
    assert_eq!(
        nodes.expect[0],
        "NAME     STATUS   ROLES           AGE   VERSION"
    );
    assert_eq!(nodes.expect.len(), 3);
    assert!(
        nodes
            .code
            .as_deref()
            .unwrap()
            .starts_with("$ kubectl get nodes\nNAME")
    );
    let helm = titled(&book, "A bash block written with prompts");
    assert_eq!(texts(helm), ["helm list -n shop"]);
    assert_eq!(helm.expect.len(), 2);
    let plain = titled(&book, "A console block without prompts is a script");
    assert_eq!(texts(plain), ["kubectl cluster-info"]);
    assert!(plain.expect.is_empty());
}

#[test]
fn titles_and_kinds() {
    let book = fixture("titles.md");
    assert_eq!(book.title, "Titles and kinds");
    assert_eq!(book.steps[0].title, "Scale Up");
    assert_eq!(book.steps[1].title, "Restore Database");
    assert_eq!(book.steps[2].title, "Heading only");
    let untagged = &book.steps[3];
    assert_eq!(
        (untagged.kind, untagged.lang.as_deref()),
        (StepKind::Command, None)
    );
    assert_eq!(
        book.steps[4].kind,
        StepKind::Note,
        "an ASCII diagram is a note"
    );
    assert_eq!(
        book.steps[5].kind,
        StepKind::Note,
        "a bare query in an untagged block is a note"
    );
    let comments = &book.steps[6];
    assert_eq!(comments.kind, StepKind::Command);
    assert!(comments.commands.is_empty() && comments.risk.is_none());
    let manifest = &book.steps[7];
    assert_eq!(manifest.kind, StepKind::Note);
    assert!(manifest.manifest);
    let labels: Vec<_> = book.steps[8]
        .commands
        .iter()
        .map(|c| c.label.as_deref())
        .collect();
    assert_eq!(
        labels,
        [
            Some("Verify current cluster status"),
            Some("Check workloads"),
            None
        ]
    );
}

#[test]
fn numbers_sections_and_ids() {
    let book = fixture("nested.md");
    for (i, step) in book.steps.iter().enumerate() {
        assert_eq!(step.number, i + 1);
        assert!(!step.id.is_empty());
        assert!(
            step.id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "{}",
            step.id
        );
    }
    let mut ids: Vec<_> = book.steps.iter().map(|s| &s.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), book.steps.len());
    assert_eq!(*book.steps[0].section, ["Nested blocks", "Indents"]);
}

#[test]
fn ids_survive_unrelated_edits() {
    let path = format!("{}/tests/fixtures/nested.md", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let before = parse_titled(&text, "x");
    let edited = text.replace(
        "## Blockquotes",
        "Some new prose.\n\n- [ ] A new check\n\n## Blockquotes",
    );
    let after = parse_titled(&edited, "x");
    assert_eq!(after.steps.len(), before.steps.len() + 1);
    for step in &before.steps {
        assert!(
            after.steps.iter().any(|s| s.id == step.id),
            "{} changed",
            step.id
        );
    }
}

#[test]
fn large_runbooks_split_across_threads_keep_document_order() {
    let path = format!("{}/tests/fixtures/nested.md", env!("CARGO_MANIFEST_DIR"));
    let one = parse_titled(&std::fs::read_to_string(path).unwrap(), "x");
    let unit = std::fs::read_to_string(format!(
        "{}/tests/fixtures/nested.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let many = parse_titled(&unit.repeat(60), "x");
    assert!(many.steps.len() >= 600, "big enough for the parallel path");
    assert_eq!(many.steps.len(), one.steps.len() * 60);
    for (i, step) in many.steps.iter().enumerate() {
        let twin = &one.steps[i % one.steps.len()];
        assert_eq!(step.number, i + 1);
        assert_eq!(
            (&step.title, &step.commands, step.depth),
            (
                &twin.title,
                &twin
                    .commands
                    .iter()
                    .map(|c| {
                        let mut c = c.clone();
                        c.line += (i / one.steps.len()) * unit.lines().count();
                        c
                    })
                    .collect::<Vec<_>>(),
                twin.depth
            )
        );
        assert_eq!(
            step.parent
                .map(|p| p - (i / one.steps.len()) * one.steps.len()),
            twin.parent
        );
    }
}

#[test]
fn only_the_block_at_the_top_is_front_matter() {
    // pulldown-cmark reads any `---` … `---` block at column 0 as metadata; a later one is
    // not the runbook's front matter.
    let text = "---\ntitle: Top\nnamespace: shop\n---\n\n# Doc\n\ntext\n\n---\ntitle: Later\n---\n";
    let book = runbook::runbook::parse(text);
    assert_eq!(book.meta.title.as_deref(), Some("Top"));
    assert_eq!(book.meta.namespace.as_deref(), Some("shop"));
}

/// Regression: a placeholder in a title vanished (markdown reads `<pod-name>` as an HTML tag).
#[test]
fn placeholders_stay_in_titles_html_tags_do_not() {
    let book = runbook::runbook::parse(
        "# T\n\n- [ ] Restart <pod-name> in `ns`\n- [ ] Plain <b>bold</b>\n",
    );
    let titles: Vec<&str> = book.steps.iter().map(|s| &*s.title).collect();
    assert_eq!(titles, ["Restart <pod-name> in ns", "Plain bold"]);
}
