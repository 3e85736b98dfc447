using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Moat.Gateway.Telemetry;

/// <summary>OpenTelemetry-friendly instruments of the request path (meter "Moat.Gateway").</summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Moat.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _limitRejections;
    private readonly Counter<long> _upstreamErrors;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("moat.gateway.requests", "{request}", "Model API requests by endpoint and status.");
        _tokens = _meter.CreateCounter<long>("moat.gateway.tokens", "{token}", "Prompt and completion tokens served.");
        _duration = _meter.CreateHistogram<double>("moat.gateway.request.duration", "ms", "Time from request start to the last byte sent.");
        _limitRejections = _meter.CreateCounter<long>("moat.gateway.limit.rejections", "{request}", "Requests refused by quotas, by reason.");
        _upstreamErrors = _meter.CreateCounter<long>("moat.gateway.upstream.errors", "{error}", "Upstream failures by kind (refused, 5xx, timeout, interrupted).");
    }

    public void Request(string endpoint, int status, double milliseconds)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(milliseconds, tags);
    }

    public void Tokens(string model, long prompt, long completion)
    {
        if (prompt > 0)
        {
            _tokens.Add(prompt, new TagList { { "model", model }, { "type", "prompt" } });
        }
        if (completion > 0)
        {
            _tokens.Add(completion, new TagList { { "model", model }, { "type", "completion" } });
        }
    }

    public void LimitRejected(string reason) => _limitRejections.Add(1, new TagList { { "reason", reason } });

    public void UpstreamError(string upstream, string kind) =>
        _upstreamErrors.Add(1, new TagList { { "upstream", upstream }, { "kind", kind } });

    public void Dispose() => _meter.Dispose();
}
