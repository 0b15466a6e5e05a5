namespace PenguinMails;

/// <summary>
/// One page of a cursor-paged list (api-reference "Pagination"): the items (<c>data</c>) and
/// <c>meta.pagination</c> (<c>limit</c>, <c>has_more</c>, <c>next_cursor</c>). The <c>...AllAsync</c> methods
/// follow the cursors for you.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Data">The items of this page.</param>
/// <param name="Pagination">The page's limit and the cursor of the next page; null when the server sent none.</param>
/// <param name="RequestId">The answer's <c>meta.request_id</c>.</param>
public sealed record Page<T>(IReadOnlyList<T> Data, PageInfo? Pagination, string? RequestId);
