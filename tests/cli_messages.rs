#[test]
fn a_requires_dist_the_pep508_parser_would_panic_on_is_an_error_not_a_crash() {
    let sb = Sandbox::new("pep508-panic");
    sb.index.add_wheel(
        &WheelBuilder::new("hostile", "1.0")
            .requires_dist("numpy./local.whl)>=")
            .build(),
    );
    let out = sb
        .command(["resolve", "hostile", "--runtime", "python3.12"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("has a Requires-Dist that does not parse: numpy./local.whl)>="),
        "{err}"
    );
}
