namespace PenguinMails.Http;

/// <summary>Success answers wrapped in the global envelope.</summary>
public static class ApiResults
{
    public static Ok<SuccessEnvelope<T>> Ok<T>(HttpContext context, T data, PageInfo? page = null) =>
        TypedResults.Ok(Wrap(context, data, page));

    public static Created<SuccessEnvelope<T>> Created<T>(HttpContext context, string location, T data) =>
        TypedResults.Created(location, Wrap(context, data, null));

    private static SuccessEnvelope<T> Wrap<T>(HttpContext context, T data, PageInfo? page) =>
        new(data, new ResponseMeta(context.TraceIdentifier) { Pagination = page });
}
