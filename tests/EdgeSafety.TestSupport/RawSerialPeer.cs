namespace EdgeSafety.TestSupport;

/// <summary>
/// One end of a pty pair (<see cref="SerialLinePair"/>) opened as a plain file: the test plays a device or a master
/// byte by byte. Every read is bounded; a read left blocked by a failing test ends when the pair's socat is killed.
/// </summary>
public sealed class RawSerialPeer : IDisposable
{
    private readonly FileStream _stream;

    public RawSerialPeer(string path)
    {
        _stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
        });
    }

    public async Task<byte[]> ReadAsync(int count, TimeSpan timeout)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(timeout);
        return buffer;
    }

    public async Task WriteAsync(params byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public void Dispose() => _stream.Dispose();
}
