using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moat.Cli.Admin;

/// <summary>One HTTP client for the admin and portal APIs; failures become <see cref="AdminApiException"/> or <see cref="AdminConnectionException"/>.</summary>
internal sealed class AdminApiClient : IDisposable
{
    public const string ActorHeader = "X-Moat-Actor";

    private static readonly JsonSerializerOptions BodyJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;

    public AdminApiClient(Uri baseUrl, string? token, string? actor, HttpMessageHandler? handler = null)
    {
        BaseUrl = baseUrl;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = baseUrl;
        // Each request sets its own deadline (an upload's grows with the file), so the client's own is off.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("moat-cli");
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (!string.IsNullOrWhiteSpace(actor))
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(ActorHeader, actor);
        }
    }

    public Uri BaseUrl { get; }

    public Task<AdminResponse> GetAsync(string path, CancellationToken cancellationToken, params (string Name, string? Value)[] query) =>
        SendAsync(HttpMethod.Get, path + QueryString(query), body: null, cancellationToken);

    public Task<AdminResponse> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body ?? new { }, cancellationToken);

    public Task<AdminResponse> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<AdminResponse> DeleteAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, body ?? new { }, cancellationToken);

    /// <summary>Escapes one path segment (an id or a name typed by the user).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>Streams <paramref name="content"/> (an upload) to the server; the deadline grows with its length.</summary>
    public Task<AdminResponse> PostContentAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        var megabytes = (content.Headers.ContentLength ?? 0) / (1024.0 * 1024.0);
        return SendAsync(HttpMethod.Post, path, content, RequestTimeout + TimeSpan.FromSeconds(megabytes), cancellationToken);
    }

    /// <summary>A GET whose answer is not JSON (an HTML report): the body as text.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        var (_, text) = await SendRawAsync(HttpMethod.Get, path, content: null, RequestTimeout, cancellationToken).ConfigureAwait(false);
        return text;
    }

    private Task<AdminResponse> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, body is null ? null : new StringContent(JsonSerializer.Serialize(body, BodyJson), Encoding.UTF8, "application/json"), RequestTimeout, cancellationToken);

    private async Task<AdminResponse> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (status, text) = await SendRawAsync(method, path, content, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return new AdminResponse(text, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
        }
        catch (JsonException)
        {
            throw new AdminApiException(status, "invalid_response", $"the server at {BaseUrl} did not answer with JSON (is this a Moat server?)");
        }
    }

    private async Task<(HttpStatusCode Status, string Text)> SendRawAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new AdminConnectionException(BaseUrl, Reason(e), e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AdminConnectionException(BaseUrl, $"no answer within {timeout.TotalSeconds:0} s", e);
        }
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AdminConnectionException(BaseUrl, $"no answer within {timeout.TotalSeconds:0} s", e);
            }
            if (!response.IsSuccessStatusCode)
            {
                throw AdminApiException.From(response.StatusCode, text);
            }
            return (response.StatusCode, text);
        }
    }

    /// <summary>"?a=1&amp;b=2" from the pairs whose value is not empty (escaped), or "".</summary>
    public static string QueryString(params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        null => e.Message,
    };

    public void Dispose() => _http.Dispose();
}

/// <summary>A successful answer: the body as sent (for --json) and parsed (for tables).</summary>
internal sealed record AdminResponse(string Json, JsonElement Root);

/// <summary>The server answered with an error in the OpenAI shape <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed class AdminApiException(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error's <c>code</c>, or its <c>type</c> when the code is null.</summary>
    public string Code { get; } = code;

    public static AdminApiException From(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.Text("code") ?? error.Text("type") ?? $"http_{(int)status}";
                return new AdminApiException(status, code, error.Text("message") ?? status.ToString());
            }
        }
        catch (JsonException)
        {
            // Not the OpenAI shape (a proxy's page, an empty body): fall through to the status line.
        }
        return new AdminApiException(status, $"http_{(int)status}", $"{(int)status} {status}");
    }
}

/// <summary>The server could not be reached at all.</summary>
internal sealed class AdminConnectionException(Uri url, string reason, Exception inner)
    : Exception($"cannot connect to {url}: {reason}", inner);
