using Moat.Core.Signals;
using Moat.Detection;

namespace Moat.Simulation.Transport;

/// <summary>
/// Feeds the detection engine synchronously, as the gateway's settle stage would: builds <see cref="RequestFeatures"/>
/// (prompt tokens ≈ characters / 4) and keeps a per-organisation token-per-minute window for the quota fields.
/// </summary>
public sealed class InProcessTransport(DetectionEngine engine) : ISimulationTransport
{
    private readonly Dictionary<string, (long Minute, long Used)> _windows = new(StringComparer.Ordinal);
    private long _sequence;

    public Task<SimulatedResponse> SendAsync(SimulatedRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        string? system = null, user = null, priorUser = null, assistant = null;
        long characters = 0;
        foreach (var message in body.Messages)
        {
            characters += message.Text.Length;
            if (message.Role == "system")
            {
                system ??= message.Text;
            }
            else if (message.Role == "user")
            {
                priorUser = user;
                user = message.Text;
            }
            else if (message.Role == "assistant")
            {
                assistant = message.Text;
            }
        }
        var promptTokens = Math.Max(1, characters / 4);
        var completionTokens = Math.Min(body.MaxTokens ?? 512, 300) * (long)Math.Max(1, body.N);
        var minute = request.Timestamp.ToUnixTimeSeconds() / 60;
        var window = _windows.TryGetValue(request.OrgId, out var w) && w.Minute == minute ? w : (minute, 0);
        var cost = promptTokens + completionTokens;
        var limit = request.TokensPerMinuteLimit;
        var status = limit > 0 && window.Used + cost > limit ? 429 : 200;
        if (status == 200)
        {
            window.Used += cost;
        }
        _windows[request.OrgId] = window;
        var requestId = "sim-" + (++_sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // What a model would have answered: distinct per request, so a client that sends it back continues a real conversation.
        request.Reply = status == 200 ? "Here is the answer to your request (" + requestId + ")." : null;
        engine.Process(new RequestFeatures
        {
            RequestId = requestId,
            OrgId = request.OrgId,
            KeyId = request.KeyId,
            Model = body.Model,
            Endpoint = "/v1/chat/completions",
            Timestamp = request.Timestamp,
            SystemPrompt = system,
            UserPrompt = user,
            MessageCount = body.Messages.Count,
            PriorUserPrompt = priorUser,
            PriorReply = assistant,
            PriorReplyFingerprint = ReplyFingerprint.Of(assistant),
            ServedReplyFingerprint = ReplyFingerprint.Of(request.Reply),
            N = body.N,
            Temperature = body.Temperature,
            MaxTokens = body.MaxTokens,
            Logprobs = body.Logprobs,
            Stream = body.Stream,
            PromptTokens = promptTokens,
            CompletionTokens = status == 200 ? completionTokens : 0,
            Status = status,
            ClientIp = request.ClientIp,
            UserAgent = request.UserAgent,
            TokensPerMinuteLimit = limit,
            TokensRemaining = limit > 0 ? Math.Max(0, limit - window.Used) : 0,
        });
        return Task.FromResult(new SimulatedResponse(status, promptTokens, status == 200 ? completionTokens : 0,
            status == 200 ? null : "rate_limit_exceeded"));
    }
}

/// <summary>Reads scores straight from the engine's scorer.</summary>
public sealed class InProcessRiskReader(DetectionEngine engine) : IRiskReader
{
    public Task<RiskReading?> ReadAsync(string orgId, CancellationToken cancellationToken)
    {
        var score = engine.Scorer.GetScore(orgId);
        return Task.FromResult(score is null ? null : new RiskReading(orgId, score.Value, engine.Scorer.GetPeakScore(orgId) ?? score.Value));
    }
}
