//! JMX logic controllers, counters and random variables against a counting loopback target:
//! the requests the target sees match JMeter's semantics exactly.

mod engine_support;

use engine_support::jmx_xml::*;
use engine_support::*;
use pts_local::engine::{self, RunReport};
use std::sync::Arc;

fn run(xml: &str) -> Arc<RunReport> {
    run_jmx(xml, &[])
}

fn hits(t: &Target, path: &str) -> usize {
    t.seen().iter().filter(|s| s.path == path).count()
}

fn ok_target() -> Target {
    Target::start(true, |_| Reply::ok("ok"))
}

#[test]
fn loop_simple_and_transaction_controllers_multiply_exactly() {
    let t = ok_target();
    let p = t.addr.port();
    let body = group(
        "ThreadGroup",
        "Users",
        2,
        3,
        &(get("Home", p, "/home")
            + &loop_ctl(
                "Twice x3",
                "${n}",
                &(get("Item", p, "/item")
                    + &controller(
                        "GenericController",
                        "LogicControllerGui",
                        "Simple",
                        &[],
                        &get("Simple", p, "/simple"),
                    )),
            )
            + &transaction("Checkout", &(get("Cart", p, "/cart") + &get("Pay", p, "/pay")))),
    );
    let report = run(&plan(&[("n", "3")], &body));
    // 2 threads x 3 iterations: 1 home, 3 x (item + simple), cart + pay.
    assert_eq!(hits(&t, "/home"), 6);
    assert_eq!(hits(&t, "/item"), 18);
    assert_eq!(hits(&t, "/simple"), 18);
    assert_eq!((hits(&t, "/cart"), hits(&t, "/pay")), (6, 6));
    assert_eq!(report.scene.count, 54);
    assert_eq!(t.count(), 54);
}

#[test]
fn once_only_runs_once_per_thread_and_per_loop_entry() {
    let t = ok_target();
    let p = t.addr.port();
    let once = |name: &str, path: &str| {
        controller("OnceOnlyController", "OnceOnlyControllerGui", name, &[], &get(name, p, path))
    };
    let body = group(
        "ThreadGroup",
        "Users",
        2,
        4,
        &(once("Login", "/login")
            + &get("Browse", p, "/browse")
            + &loop_ctl("Inner", "3", &(once("First", "/first") + &get("Each", p, "/each")))),
    );
    run(&plan(&[], &body));
    assert_eq!(hits(&t, "/login"), 2);
    assert_eq!(hits(&t, "/browse"), 8);
    // Inside a loop: the first pass of each entry into the loop.
    assert_eq!(hits(&t, "/first"), 8);
    assert_eq!(hits(&t, "/each"), 24);
}

#[test]
fn if_controller_conditions_without_scripts() {
    let t = ok_target();
    let p = t.addr.port();
    let iff = |name: &str, cond: &str, expression: bool, path: &str| {
        el(
            "IfController",
            "IfControllerPanel",
            name,
            &format!(
                "<stringProp name=\"IfController.condition\">{cond}</stringProp><boolProp name=\"IfController.evaluateAll\">false</boolProp><boolProp name=\"IfController.useExpression\">{expression}</boolProp>"
            ),
            &get(name, p, path),
        )
    };
    let counter = el(
        "CounterConfig",
        "CounterConfigGui",
        "Iteration",
        &(props(&[
            ("CounterConfig.start", "1"),
            ("CounterConfig.end", ""),
            ("CounterConfig.incr", "1"),
            ("CounterConfig.name", "i"),
            ("CounterConfig.format", ""),
        ]) + "<boolProp name=\"CounterConfig.per_user\">true</boolProp>"),
        "",
    );
    let body = group(
        "ThreadGroup",
        "Users",
        1,
        4,
        &(counter
            + &iff("Fast", "&quot;${mode}&quot; == &quot;fast&quot;", false, "/fast")
            + &iff("Slow", "'${mode}' == 'slow' || false", false, "/slow")
            + &iff("Late", "${i} &gt; 2 &amp;&amp; !(${i} == 4)", false, "/late")
            + &iff("Flag", "${flag}", true, "/flag")),
    );
    run(&plan(&[("mode", "fast"), ("flag", "true")], &body));
    assert_eq!(hits(&t, "/fast"), 4);
    assert_eq!(hits(&t, "/slow"), 0);
    assert_eq!(hits(&t, "/late"), 1);
    assert_eq!(hits(&t, "/flag"), 4);
    // Script conditions are refused by name, path and property.
    let script = group(
        "ThreadGroup",
        "Users",
        1,
        1,
        &iff("Scripted", "${__jexl3(vars.get(\"a\") == \"b\")}", true, "/x"),
    );
    let err = engine::parse_jmx(&plan(&[], &script)).unwrap_err().to_string();
    assert!(err.contains("IfController \"Scripted\" at TestPlan > ThreadGroup"), "{err}");
    assert!(err.contains("IfController.condition") && err.contains("__jexl3"), "{err}");
}

#[test]
fn interleave_and_throughput_controllers() {
    let t = ok_target();
    let p = t.addr.port();
    let inter = controller(
        "InterleaveControl",
        "InterleaveControlGui",
        "Alternate",
        &[("InterleaveControl.style", "1")],
        &(get("A", p, "/a") + &get("B", p, "/b") + &get("C", p, "/c")),
    );
    let pct = el(
        "ThroughputController",
        "ThroughputControllerGui",
        "Half",
        "<intProp name=\"ThroughputController.style\">1</intProp><boolProp name=\"ThroughputController.perThread\">true</boolProp><intProp name=\"ThroughputController.maxThroughput\">1</intProp><FloatProperty><name>ThroughputController.percentThroughput</name><value>50.0</value><savedValue>0.0</savedValue></FloatProperty>",
        &get("Half", p, "/half"),
    );
    let total = el(
        "ThroughputController",
        "ThroughputControllerGui",
        "Three in all",
        "<intProp name=\"ThroughputController.style\">0</intProp><boolProp name=\"ThroughputController.perThread\">false</boolProp><intProp name=\"ThroughputController.maxThroughput\">3</intProp>",
        &get("Total", p, "/total"),
    );
    run(&plan(&[], &group("ThreadGroup", "Users", 2, 6, &(inter + &pct + &total))));
    // Per thread: 6 passes over 3 children = 2 each; 50 % of 6 = 3; 3 executions shared.
    assert_eq!((hits(&t, "/a"), hits(&t, "/b"), hits(&t, "/c")), (4, 4, 4));
    assert_eq!(hits(&t, "/half"), 6);
    assert_eq!(hits(&t, "/total"), 3);
    assert_eq!(t.count(), 4 * 3 + 6 + 3);
}

#[test]
fn counters_and_random_variables() {
    let t = ok_target();
    let p = t.addr.port();
    let counter = |name: &str, var: &str, per_user: bool, fmt: &str, end: &str| {
        el(
            "CounterConfig",
            "CounterConfigGui",
            name,
            &(props(&[
                ("CounterConfig.start", "1"),
                ("CounterConfig.end", end),
                ("CounterConfig.incr", "1"),
                ("CounterConfig.name", var),
                ("CounterConfig.format", fmt),
            ]) + &format!("<boolProp name=\"CounterConfig.per_user\">{per_user}</boolProp>")),
            "",
        )
    };
    let random = el(
        "RandomVariableConfig",
        "TestBeanGUI",
        "Dice",
        &props(&[
            ("variableName", "dice"),
            ("outputFormat", ""),
            ("minimumValue", "5"),
            ("maximumValue", "7"),
            ("randomSeed", ""),
            ("perThread", "false"),
        ]),
        "",
    );
    let body = group(
        "ThreadGroup",
        "Users",
        2,
        3,
        &(counter("Shared", "g", false, "", "")
            + &counter("Mine", "u", true, "user_00", "2")
            + &random
            + &get("C", p, "/c?g=${g}&amp;u=${u}&amp;d=${dice}")),
    );
    run(&plan(&[], &body));
    let seen = t.seen();
    let mut g: Vec<u32> = seen
        .iter()
        .map(|s| s.path.split("g=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap())
        .collect();
    g.sort();
    assert_eq!(g, vec![1, 2, 3, 4, 5, 6]);
    // Per user, wrapping after its end (2): 1, 2, 1 for each thread.
    let mut u: Vec<&str> = seen
        .iter()
        .map(|s| s.path.split("u=").nth(1).unwrap().split('&').next().unwrap())
        .collect();
    u.sort();
    assert_eq!(u, vec!["user_01", "user_01", "user_01", "user_01", "user_02", "user_02"]);
    for s in &seen {
        let d: i64 = s.path.split("d=").nth(1).unwrap().parse().unwrap();
        assert!((5..=7).contains(&d), "{}", s.path);
    }
}

#[test]
fn setup_runs_before_and_teardown_after_the_main_groups() {
    let t = ok_target();
    let p = t.addr.port();
    let body = group("SetupThreadGroup", "setUp", 1, 2, &get("Prepare", p, "/setup"))
        + &group("PostThreadGroup", "tearDown", 1, 1, &get("Clean", p, "/teardown"))
        + &group("ThreadGroup", "Users", 3, 2, &get("Main", p, "/main"));
    let report = run(&plan(&[], &body));
    assert_eq!((hits(&t, "/setup"), hits(&t, "/main"), hits(&t, "/teardown")), (2, 6, 1));
    assert_eq!(report.scene.count, 9);
    let seen = t.seen();
    let at = |path: &str| seen.iter().filter(|s| s.path == path).map(|s| s.at).collect::<Vec<_>>();
    let (setup, main, down) = (at("/setup"), at("/main"), at("/teardown"));
    assert!(setup.iter().max() < main.iter().min());
    assert!(main.iter().max() < down.iter().min());
}
