using System.Text;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>
/// Random, valid sets of schemas: every field type, nesting of arrays and maps, references forward (required or
/// optional) and back (optional only, so cycles are legal), gaps and reserved indexes, and interning and segments
/// on the schemas nothing refers to.
/// </summary>
internal static class RandomSchemas
{
    private static readonly string[] Scalars = ["bool", "int32", "int64", "uint32", "uint64", "float32", "float64", "string", "bytes", "any"];

    public static List<(string Path, string Json)> Create(Random random, string prefix)
    {
        int count = random.Next(1, 5);
        string[] ids = Enumerable.Range(0, count).Select(i => $"{prefix}_s{i}").ToArray();
        bool[] referenced = new bool[count];
        var fieldsOf = new List<List<(string Name, string Type, int Index, bool Optional)>>();
        for (int s = 0; s < count; s++)
        {
            var fields = new List<(string, string, int, bool)>();
            int fieldCount = random.Next(1, 9);
            int[] indexes = Enumerable.Range(0, fieldCount * 3).OrderBy(_ => random.Next()).Take(fieldCount).ToArray();
            for (int f = 0; f < fieldCount; f++)
            {
                bool optional = random.Next(3) == 0;
                string type = Type(random, ids, s, ref optional, referenced, depth: 0);
                fields.Add(($"f{f}_{(char)('a' + random.Next(26))}", type, indexes[f], optional));
            }

            fieldsOf.Add(fields);
        }

        var files = new List<(string, string)>();
        for (int s = 0; s < count; s++)
        {
            var json = new StringBuilder($"{{ \"id\": \"{ids[s]}\", \"open\": {Json(random.Next(2) == 0)}, \"reserved\": [{fieldsOf[s].Count * 3 + 1}], \"fields\": [");
            for (int f = 0; f < fieldsOf[s].Count; f++)
            {
                (string name, string type, int index, bool optional) = fieldsOf[s][f];
                bool internable = !referenced[s] && type is "string" or "any";
                json.Append(f == 0 ? string.Empty : ", ")
                    .Append($"{{ \"name\": \"{name}\", \"type\": \"{type}\", \"index\": {index}, \"optional\": {Json(optional)}")
                    .Append(internable && random.Next(2) == 0 ? ", \"interned\": true" : string.Empty)
                    .Append(!referenced[s] && random.Next(2) == 0 ? $", \"segment\": \"seg{random.Next(3)}\"" : string.Empty)
                    .Append(" }");
            }

            files.Add(($"{ids[s]}.schema.json", json.Append("] }").ToString()));
        }

        return files;
    }

    private static string Type(Random random, string[] ids, int self, ref bool optional, bool[] referenced, int depth)
    {
        int roll = random.Next(100);
        if (depth < 2 && roll < 15)
        {
            bool elementOptional = true;
            return $"array<{Type(random, ids, self, ref elementOptional, referenced, depth + 1)}>";
        }

        if (depth < 2 && roll < 25)
        {
            bool elementOptional = true;
            return $"map<string,{Type(random, ids, self, ref elementOptional, referenced, depth + 1)}>";
        }

        if (roll < 40 && ids.Length > 1)
        {
            int target = random.Next(ids.Length);
            if (target == self)
            {
                target = (self + 1) % ids.Length;
            }

            // Back references (and references inside collections, which may be empty) are what cycles are made
            // of: a required one only points forward.
            if (target < self && depth == 0)
            {
                optional = true;
            }

            referenced[target] = true;
            return ids[target];
        }

        return Scalars[random.Next(Scalars.Length)];
    }

    private static string Json(bool value) => value ? "true" : "false";
}
