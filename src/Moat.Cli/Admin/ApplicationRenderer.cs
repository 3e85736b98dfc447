using System.Text.Json;
using Spectre.Console;

namespace Moat.Cli.Admin;

/// <summary>Access applications: the review queue, one application, and review outcomes.</summary>
internal static class ApplicationRenderer
{
    public static void List(IAnsiConsole console, AdminResponse response)
    {
        var table = Styles.Table("id", "organization", "contact", "use case", "tokens/month", "status", "submitted");
        foreach (var application in response.Root.Items())
        {
            table.AddRow(
                Markup.Escape(application.Show("id")),
                Markup.Escape(application.Show("organization_name")),
                Markup.Escape(application.Show("contact_email")),
                Markup.Escape(application.Show("use_case_category")),
                Markup.Escape(application.Count("expected_monthly_tokens")),
                Styles.State(application.Text("status")),
                Markup.Escape(application.When("submitted_at")));
        }
        console.WriteList(table, "no applications", response.Root.Text("next_cursor"));
    }

    public static void Show(IAnsiConsole console, AdminResponse response)
    {
        var a = response.Root;
        var facts = Styles.Facts(
            ("status", Styles.State(a.Text("status"))),
            ("organization", Markup.Escape(a.Show("organization_name"))),
            ("contact", Markup.Escape(a.Show("contact_email"))),
            ("use case", Markup.Escape(a.Show("use_case_category"))),
            ("intended use", Markup.Escape(a.Show("intended_use"))),
            ("tokens/month", Markup.Escape(a.Count("expected_monthly_tokens"))),
            ("terms", Markup.Escape(a.Show("terms_version"))),
            ("submitted", Markup.Escape(a.When("submitted_at"))),
            ("reviewed", Markup.Escape(a.Text("reviewed_at") is null ? "-" : $"{a.When("reviewed_at")} by {a.Show("reviewed_by")}")),
            ("reason", Markup.Escape(a.Show("review_reason"))),
            ("organization id", Markup.Escape(a.Show("org_id"))),
            ("tier", Markup.Escape(a.Show("tier"))));
        console.Write(new Panel(facts).Header($"application {Markup.Escape(a.Show("id"))}").Border(BoxBorder.Rounded));
    }

    public static void Approved(IAnsiConsole console, AdminResponse response)
    {
        var r = response.Root;
        console.MarkupLine($"[green]approved[/] application {Markup.Escape(r.Show("application_id"))}: organization [bold]{Markup.Escape(r.Show("org_id"))}[/] on tier {Markup.Escape(r.Show("tier"))}");
        console.MarkupLine($"[grey]next: moat admin keys create {Markup.Escape(r.Show("org_id"))} --name NAME[/]");
    }

    /// <summary>The portal's view of a submission: <c>{id, status, org_id?}</c>.</summary>
    public static void Submission(IAnsiConsole console, JsonElement submission)
    {
        console.MarkupLine($"application [bold]{Markup.Escape(submission.Show("id"))}[/]: {Styles.State(submission.Text("status"))}");
        if (submission.Text("org_id") is { } org)
        {
            console.MarkupLine($"organization: {Markup.Escape(org)}");
        }
    }
}
