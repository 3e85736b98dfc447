using Microsoft.AspNetCore.Http;

namespace Moat.Admin.Api;

/// <summary>Answers an <see cref="AdminApiException"/> thrown by a handler or service with its OpenAI-shaped error.</summary>
internal sealed class ApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (AdminApiException refused)
        {
            return refused.Error.AsResult(refused.RetryAfter);
        }
    }
}
