namespace PenguinMails.Delivery;

/// <summary>
/// Wakes this node's dispatcher when a message is stored, so that a send does not wait for the next poll.
/// Take <see cref="Next"/> before looking for work and await it afterwards: a notification in between is not lost.
/// </summary>
public sealed class DispatchSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
