using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Moat.Core.Errors;
using Moat.Core.Models;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Limit;

namespace Moat.Gateway.Pipeline.Models;

/// <summary>GET /v1/models and /v1/models/{id}: the models the caller's tier may use, in OpenAI's list shape.</summary>
internal sealed class ModelsEndpoint
{
    private readonly ModelApiHandler _handler;
    private readonly QuotaGate _quota;
    private readonly ModelCatalogOptions _catalog;

    public ModelsEndpoint(ModelApiHandler handler, QuotaGate quota, IOptions<ModelCatalogOptions> catalog)
    {
        _handler = handler;
        _quota = quota;
        _catalog = catalog.Value;
    }

    public Task HandleAsync(HttpContext context, string? modelId) =>
        _handler.RunAsync(context, ModelEndpoint.Models, call => ListAsync(call, modelId));

    private async Task ListAsync(GatewayCall call, string? modelId)
    {
        if (!await _handler.AuthenticateAsync(call).ConfigureAwait(false))
        {
            return;
        }
        var key = call.Key!;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (modelId is null)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "list");
                writer.WriteStartArray("data");
                foreach (var model in _catalog.Models)
                {
                    if (key.TierOptions.AllowsModel(model.Id))
                    {
                        Write(writer, model);
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                var model = _catalog.Find(modelId);
                if (model is null || !key.TierOptions.AllowsModel(model.Id))
                {
                    await _quota.RefuseAsync(call, key, ModelApiErrors.ModelNotFound(modelId)).ConfigureAwait(false);
                    return;
                }
                Write(writer, model);
            }
        }
        await _quota.PeekAsync(call, key).ConfigureAwait(false);
        call.Complete(CallOutcome.Served(StatusCodes.Status200OK));
        var response = call.Context.Response;
        response.ContentType = OpenAiError.ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, call.Context.RequestAborted).ConfigureAwait(false);
    }

    private static void Write(Utf8JsonWriter writer, ModelOptions model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", model.Id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", model.ReleasedAt?.ToUnixTimeSeconds() ?? 0);
        writer.WriteString("owned_by", "moat");
        writer.WriteEndObject();
    }
}
