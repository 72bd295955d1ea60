using System.Buffers;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// Writes messages to one socket for any number of writers. Writers append; a flush sends everything appended so
/// far, and whoever flushes while another flush is under way leaves its bytes to that flush, which keeps sending
/// until nothing is left. So a lone call goes out at once, on the caller's thread, and a busy socket sends batches:
/// one send system call for everything that was ready.
/// </summary>
internal sealed class RawTcpSender
{
    private readonly Socket _socket;
    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _appended = new(4096);
    private ArrayBufferWriter<byte> _sending = new(4096);
    private bool _flushing;
    private Exception? _fault;

    public RawTcpSender(Socket socket) => _socket = socket;

    public void Append(ReadOnlySpan<byte> messages)
    {
        lock (_gate)
        {
            _appended.Write(messages);
        }
    }

    /// <summary>
    /// Sends what was appended (blocking sends). Returns at once when another flush is under way: that flush sends
    /// these bytes too. Once a send has failed, every flush throws that error.
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new IOException($"an earlier send failed: {_fault.Message}", _fault);
            }

            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_appended.WrittenCount == 0)
                    {
                        _flushing = false;
                        return;
                    }

                    (_appended, _sending) = (_sending, _appended);
                }

                ReadOnlySpan<byte> bytes = _sending.WrittenSpan;
                while (!bytes.IsEmpty)
                {
                    bytes = bytes[_socket.Send(bytes, SocketFlags.None)..];
                }

                _sending.ResetWrittenCount();
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _fault = ex;
            }

            throw;
        }
    }
}
