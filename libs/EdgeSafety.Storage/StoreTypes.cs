namespace EdgeSafety.Storage;

/// <summary>What a store does when an append would take it past <see cref="RecordStoreOptions.MaxBytes"/>.</summary>
public enum StoreFullPolicy
{
    /// <summary>Drop the oldest segment (counted, logged, reported to the caller) and take the record: keep the newest data.</summary>
    DropOldest,

    /// <summary>Refuse the record with a <see cref="StorageFullException"/> and drop nothing, not even for age: for a caller that can push back.</summary>
    Reject,
}

/// <summary>A stored record: its offset, when it was appended, and its data.</summary>
public sealed record StoredRecord(long Offset, DateTimeOffset AppendedAt, byte[] Data);

/// <summary>The offset an append got, and how many unread or unacknowledged records it dropped to make room (0 usually).</summary>
public readonly record struct AppendResult(long Offset, long Dropped);

/// <summary>Records in offset order, and how many were found corrupt and skipped on the way (logged by the store).</summary>
public sealed record RecordBatch(IReadOnlyList<StoredRecord> Records, long Lost);

/// <summary>
/// The caller's state as last saved with the checkpoint, and the last offset appended before it was taken: records after
/// <see cref="CoversThrough"/> are newer than the state. -1 and empty data for a new store.
/// </summary>
public sealed record SavedState(byte[] Data, long CoversThrough);

/// <summary>Thrown by <see cref="RecordStore.Append"/> under <see cref="StoreFullPolicy.Reject"/> when the record does not fit.</summary>
public sealed class StorageFullException : Exception
{
    public StorageFullException()
    {
    }

    public StorageFullException(string message)
        : base(message)
    {
    }

    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
