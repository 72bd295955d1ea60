namespace Hypha.Tests.Shared;

/// <summary>
/// The byte-level mutations of the fuzz tests (linked into each test project that fuzzes a wire format): a flipped
/// bit, an overwritten byte, a cut at the end, random bytes inserted, a stretch repeated, a random 32-bit value where a
/// length might sit, a stretch removed.
/// </summary>
internal static class ByteMutations
{
    /// <summary>Applies up to <paramref name="maxMutations"/> mutations (none at all in some cases) to <paramref name="bytes"/>.</summary>
    public static byte[] Apply(List<byte> bytes, Random random, int maxMutations = 3)
    {
        int mutations = random.Next(0, maxMutations + 1);
        for (int i = 0; i < mutations && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 4096), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 5:
                    for (int k = 0; k < 4 && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = (byte)random.Next(256);
                    }

                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 32), bytes.Count - at));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
