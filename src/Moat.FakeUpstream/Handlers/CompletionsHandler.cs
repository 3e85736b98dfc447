using Microsoft.AspNetCore.Http;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream.Handlers;

/// <summary><c>POST /v1/chat/completions</c> and the legacy <c>POST /v1/completions</c>.</summary>
internal sealed class CompletionsHandler(
    FakeUpstreamRuntime runtime, FakeUpstreamStats stats, RequestGate gate, CompletionRequestReader reader, CompletionResponder responder)
{
    public Task HandleChatAsync(HttpContext context)
    {
        stats.CountChat();
        return HandleAsync(context, CompletionFlavor.Chat);
    }

    public Task HandleTextAsync(HttpContext context)
    {
        stats.CountCompletion();
        return HandleAsync(context, CompletionFlavor.Text);
    }

    private async Task HandleAsync(HttpContext context, CompletionFlavor flavor)
    {
        var snapshot = runtime.Current;
        var admission = await gate.AdmitAsync(context, snapshot);
        if (admission == Admission.Handled)
        {
            return;
        }

        using var body = await JsonBody.ReadAsync(context);
        if (body is null)
        {
            return;
        }

        RequestProblem? problem;
        var request = flavor == CompletionFlavor.Chat
            ? reader.ReadChat(body.RootElement, out problem)
            : reader.ReadText(body.RootElement, out problem);
        if (request is null)
        {
            await OpenAiErrorWriter.InvalidRequestAsync(context, problem!.Message, problem.Param);
            return;
        }

        await responder.RespondAsync(context, snapshot, request, admission);
    }
}
