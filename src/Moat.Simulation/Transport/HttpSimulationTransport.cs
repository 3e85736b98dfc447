using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moat.Simulation.Transport;

/// <summary>
/// Sends each simulated request to a real gateway as an OpenAI chat completion: the tenant's key as bearer, its user
/// agent, and its simulated client address in <c>X-Forwarded-For</c> (the gateway must trust it, since all traffic
/// is loopback). Counts the requests the gateway will have handed to detection, so a reader can wait for them.
/// </summary>
public sealed class HttpSimulationTransport(HttpClient gateway, IReadOnlyDictionary<string, string> secretsByKeyId) : ISimulationTransport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private long _featuresExpected;
    private readonly Dictionary<int, long> _statuses = [];

    /// <summary>Requests the gateway parsed and admitted far enough to post request features for.</summary>
    public long FeaturesExpected => Interlocked.Read(ref _featuresExpected);

    /// <summary>Responses by HTTP status.</summary>
    public IReadOnlyDictionary<int, long> Statuses => _statuses;

    public async Task<SimulatedResponse> SendAsync(SimulatedRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        var wire = new WireRequest(
            body.Model,
            body.Messages.Select(m => new WireMessage(m.Role, m.Text)).ToList(),
            body.N == 1 ? null : body.N,
            body.Temperature,
            body.MaxTokens,
            body.Logprobs ? true : null,
            body.Stream ? true : null);
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(wire, options: Json),
        };
        var secret = secretsByKeyId.TryGetValue(request.KeyId, out var known) ? known : request.ApiKey;
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        message.Headers.TryAddWithoutValidation("User-Agent", request.UserAgent);
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", request.ClientIp);
        using var response = await gateway.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        var (promptTokens, completionTokens, errorCode, reply) = Read(bytes, body.Stream, status);
        request.Reply = reply;
        if (ReachesDetection(status, errorCode))
        {
            Interlocked.Increment(ref _featuresExpected);
        }
        return new SimulatedResponse(status, promptTokens, completionTokens, errorCode);
    }

    /// <summary>The gateway posts features for every request it parsed: refusals before that (bad key, suspended org, bad body) post none.</summary>
    private static bool ReachesDetection(int status, string? errorCode) => status switch
    {
        401 or 400 or 413 => false,
        403 => errorCode is not ("account_suspended" or "account_terminated" or "access_not_approved"),
        _ => true,
    };

    private static (long Prompt, long Completion, string? Error, string? Reply) Read(byte[] bytes, bool stream, int status)
    {
        if (bytes.Length == 0 || (stream && status == 200))
        {
            return (0, 0, null, null);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (status != 200)
            {
                return (0, 0, root.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) ? code.GetString() : null, null);
            }
            string? reply = null;
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String)
            {
                reply = content.GetString();
            }
            if (root.TryGetProperty("usage", out var usage))
            {
                return (usage.GetProperty("prompt_tokens").GetInt64(), usage.GetProperty("completion_tokens").GetInt64(), null, reply);
            }
            return (0, 0, null, reply);
        }
        catch (JsonException)
        {
            // A non-JSON answer (a proxy's error page): the status says enough.
        }
        return (0, 0, null, null);
    }

    private sealed record WireMessage(string Role, string Content);

    private sealed record WireRequest(
        string Model, IReadOnlyList<WireMessage> Messages, int? N, double? Temperature, int? MaxTokens, bool? Logprobs, bool? Stream);
}
