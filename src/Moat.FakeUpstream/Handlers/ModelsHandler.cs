using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Wire;

namespace Moat.FakeUpstream.Handlers;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> over <see cref="FakeUpstreamOptions.Models"/>.</summary>
internal sealed class ModelsHandler(FakeUpstreamRuntime runtime, RequestGate gate)
{
    // A fixed date keeps responses byte-identical across runs.
    private const long Created = 1_700_000_000;

    public async Task ListAsync(HttpContext context)
    {
        var snapshot = runtime.Current;
        if (await gate.AdmitAsync(context, snapshot) == Admission.Handled)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var model in snapshot.Options.Models)
            {
                WriteModel(json, model);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public async Task GetAsync(HttpContext context)
    {
        var snapshot = runtime.Current;
        if (await gate.AdmitAsync(context, snapshot) == Admission.Handled)
        {
            return;
        }

        var id = context.Request.RouteValues["id"] as string;
        if (id is null || Array.IndexOf(snapshot.Options.Models, id) < 0)
        {
            await OpenAiErrorWriter.WriteAsync(
                context, StatusCodes.Status404NotFound, $"The model '{id}' does not exist.", "invalid_request_error", "model", "model_not_found");
            return;
        }

        context.Response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            WriteModel(json, id);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteModel(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "model");
        json.WriteNumber("created", Created);
        json.WriteString("owned_by", "moat-fake");
        json.WriteEndObject();
    }
}
