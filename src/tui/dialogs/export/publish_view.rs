//! Publishing in the export dialog, in place of the summary: the spinner while connecting, the
//! confirmation (account, region, name, runtimes, architectures, direct or through S3), the
//! engine's steps, then the ARN, "unchanged", or the error in words. Keys are named from the
//! keymap, so a rebinding shows here too.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};
use wheelbarrow::text::clean;
use wheelbarrow::units::{human_bytes, sizes_against};

use super::super::super::action::Action;
use super::super::super::app::App;
use super::super::super::keymap::Context;
use super::super::super::publishing::{PublishOutcome, PublishPlan, PublishState};

/// The first key bound to `action` in the export summary (global keys included).
fn key(app: &App, action: Action) -> String {
    app.keymap
        .key_for(Context::Exported, action)
        .unwrap_or_else(|| format!("(no key for {})", action.hint()))
}

pub fn render(app: &App, state: &PublishState, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let lines = match state {
        PublishState::Connecting { .. } => vec![
            Line::raw(format!(
                "{} connecting to AWS: credentials and region as the AWS CLI finds them, then whose account…",
                super::super::super::ui::spinner(app)
            )),
            Line::styled(
                format!("{} cancels, back to the summary", key(app, Action::Back)),
                t.muted,
            ),
        ],
        PublishState::Confirm { plan, .. } => confirmation(app, plan),
        PublishState::Publishing {
            plan,
            step,
            cancelling,
            ..
        } => return publishing(app, plan, step.as_ref(), *cancelling, frame, area),
        PublishState::Published(outcome) => published(app, outcome),
        PublishState::Failed(e) => vec![
            Line::styled(format!("✗ not published: {e}"), t.rejected),
            Line::styled(
                format!(
                    "{} tries again · {} back to the summary",
                    key(app, Action::Publish),
                    key(app, Action::Back)
                ),
                t.muted,
            ),
        ],
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| clean(i).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn confirmation(app: &App, plan: &PublishPlan) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut where_to = format!(
        "account {} · region {}",
        clean(&plan.account),
        clean(&plan.region)
    );
    if let Some(endpoint) = &plan.endpoint {
        let _ = write!(where_to, " · endpoint {endpoint}");
    }
    let mut lines = vec![
        Line::from(vec![
            Span::raw("Publish "),
            Span::styled(clean(&plan.layer_name).into_owned(), t.accent),
            Span::raw(" as a new Lambda layer version?"),
        ]),
        Line::raw(where_to),
        Line::raw(format!("runtimes: {}", list(&plan.runtimes))),
        Line::raw(format!(
            "architectures: {}",
            list(
                &plan
                    .architectures
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            )
        )),
    ];
    if plan.needs_bucket() {
        lines.push(Line::styled(
            format!(
                "{} is over the {} Lambda takes in a direct upload: a new version has to go through an S3 bucket, which the app cannot name; `wheelbarrow publish {} --layer-name {} --s3-bucket BUCKET` does it. Enter still finds out whether the newest version already has these bytes.",
                sizes_against(plan.size, plan.direct_limit).0,
                sizes_against(plan.size, plan.direct_limit).1,
                plan.zip.display(),
                clean(&plan.layer_name)
            ),
            t.warning,
        ));
    } else {
        lines.push(Line::raw(format!(
            "{}: goes up directly with the request (limit {}); no new version if the newest has the same bytes and settings",
            human_bytes(plan.size),
            human_bytes(plan.direct_limit)
        )));
    }
    lines.push(Line::styled(
        format!(
            "{} publishes · {} back to the summary",
            key(app, Action::Confirm),
            key(app, Action::Back)
        ),
        t.muted,
    ));
    lines
}

fn publishing(
    app: &App,
    plan: &PublishPlan,
    step: Option<&wheelbarrow::work::Step>,
    cancelling: bool,
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let [head, bar, _, hint] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    frame.render_widget(
        Paragraph::new(format!(
            "Publishing {} in {}…",
            clean(&plan.layer_name),
            clean(&plan.region)
        )),
        head,
    );
    let (ratio, label) = progress_label(app, step, "connected, starting");
    frame.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(label)
            .gauge_style(t.accent),
        bar,
    );
    let words = if cancelling {
        format!(
            "{} cancelling… (the engine says what was left)",
            super::super::super::ui::spinner(app)
        )
    } else {
        format!(
            "{} cancels: before the publish call nothing is published; during it a new version may exist",
            key(app, Action::Interrupt)
        )
    };
    frame.render_widget(
        Paragraph::new(Line::styled(words, t.muted)).wrap(Wrap { trim: false }),
        hint,
    );
}

fn published(app: &App, o: &PublishOutcome) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = if o.new_version {
        vec![
            Line::styled(
                format!(
                    "✓ published {} version {} in {} (account {}): {}",
                    clean(&o.layer_name),
                    o.version,
                    clean(&o.region),
                    clean(&o.account),
                    clean(&o.reason)
                ),
                t.compatible,
            ),
            Line::styled(clean(&o.arn).into_owned(), t.accent),
        ]
    } else {
        vec![
            Line::styled(
                format!("= unchanged: version {}, ARN {}", o.version, clean(&o.arn)),
                t.compatible,
            ),
            Line::raw(format!(
                "{}: no new version was published",
                clean(&o.reason)
            )),
        ]
    };
    lines.extend([
        Line::raw(format!("recorded in {}", o.record.display())),
        Line::styled(
            format!(
                "{} closes · {} back to the summary",
                key(app, Action::Confirm),
                key(app, Action::Back)
            ),
            t.muted,
        ),
    ]);
    lines
}

/// How far an export or a publish is, and that in words: "downloading wheels: 3.0 MB of 12.0 MB".
pub(crate) fn progress_label(
    app: &App,
    step: Option<&wheelbarrow::work::Step>,
    idle: &str,
) -> (f64, String) {
    let (done, total) = step.map_or((0, None), |s| (s.done, s.total));
    #[allow(clippy::cast_precision_loss)] // a bar on a screen
    let ratio = total.map_or(0.0, |t| done as f64 / t.max(1) as f64);
    let amount = |n: u64| match step {
        Some(s) if s.phase.counts_bytes() => human_bytes(n),
        _ => n.to_string(),
    };
    let label = match (step, total) {
        (Some(s), Some(t)) => format!("{}: {} of {}", s.phase.label(), amount(done), amount(t)),
        (Some(s), None) => format!(
            "{} {}…",
            super::super::super::ui::spinner(app),
            s.phase.label()
        ),
        (None, _) => format!("{} {idle}…", super::super::super::ui::spinner(app)),
    };
    (ratio, label)
}
