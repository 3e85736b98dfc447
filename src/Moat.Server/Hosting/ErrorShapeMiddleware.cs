using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Moat.Gateway.Errors;

namespace Moat.Server.Hosting;

/// <summary>Makes unhandled failures outside the model API answer in the OpenAI error shape, without a stack trace.</summary>
public static class ErrorShapeMiddleware
{
    public static WebApplication UseMoatErrorShape(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var shaped = failure is BadHttpRequestException bad
                ? new OpenAiError(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : "invalid_request_error",
                    "invalid_request_error", "The request could not be read: " + bad.Message)
                : OpenAiError.Internal();
            return OpenAiErrorWriter.WriteAsync(context, shaped);
        }));
        return app;
    }
}
