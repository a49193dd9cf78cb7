namespace Lambda.Core.Parquet.Thrift;

/// <summary>Compact-protocol serialization of the footer and page header structures (field ids from parquet.thrift).</summary>
internal static class ParquetThrift
{
    // ---------------------------------------------------------------- writing

    public static void Write(CompactWriter w, FileMetaData m)
    {
        w.StructBegin();
        w.I32Field(1, m.Version);
        w.ListField(2, CompactType.Struct, m.Schema.Count);
        foreach (var element in m.Schema)
        {
            Write(w, element);
        }

        w.I64Field(3, m.NumRows);
        w.ListField(4, CompactType.Struct, m.RowGroups.Count);
        foreach (var group in m.RowGroups)
        {
            Write(w, group);
        }

        if (m.KeyValueMetadata is { Count: > 0 } pairs)
        {
            WriteKeyValues(w, 5, pairs);
        }

        if (m.CreatedBy is not null)
        {
            w.StringField(6, m.CreatedBy);
        }

        if (m.ColumnOrders is { } orders)
        {
            w.ListField(7, CompactType.Struct, orders.Count);
            foreach (var member in orders)
            {
                w.StructBegin();
                w.StructField(member); // the union member: an empty struct
                w.StructEnd();
                w.StructEnd();
            }
        }

        w.StructEnd();
    }

    public static void Write(CompactWriter w, SchemaElement e)
    {
        w.StructBegin();
        if (e.Type is { } type)
        {
            w.I32Field(1, type);
        }

        if (e.TypeLength is { } typeLength)
        {
            w.I32Field(2, typeLength);
        }

        if (e.RepetitionType is { } repetition)
        {
            w.I32Field(3, repetition);
        }

        w.StringField(4, e.Name);
        if (e.NumChildren is { } children)
        {
            w.I32Field(5, children);
        }

        if (e.ConvertedType is { } converted)
        {
            w.I32Field(6, converted);
        }

        if (e.Scale is { } scale)
        {
            w.I32Field(7, scale);
        }

        if (e.Precision is { } precision)
        {
            w.I32Field(8, precision);
        }

        if (e.FieldId is { } fieldId)
        {
            w.I32Field(9, fieldId);
        }

        if (e.LogicalType is { } logical)
        {
            w.StructField(10);
            WriteLogicalType(w, logical);
            w.StructEnd();
        }

        w.StructEnd();
    }

    private static void WriteLogicalType(CompactWriter w, LogicalTypeInfo logical)
    {
        // Inside the LogicalType union: one member field, a struct.
        w.StructField(logical.Kind);
        switch (logical.Kind)
        {
            case LogicalTypeInfo.TimestampKind:
            case LogicalTypeInfo.TimeKind:
                w.BoolField(1, logical.IsAdjustedToUtc);
                w.StructField(2); // TimeUnit union
                w.StructField(logical.Unit);
                w.StructEnd();
                w.StructEnd();
                break;
            case LogicalTypeInfo.DecimalKind:
                w.I32Field(1, logical.Scale);
                w.I32Field(2, logical.Precision);
                break;
            case LogicalTypeInfo.IntegerKind:
                w.ByteField(1, (sbyte)logical.BitWidth);
                w.BoolField(2, logical.IsSigned);
                break;
        }

        w.StructEnd();
    }

    public static void Write(CompactWriter w, RowGroup g)
    {
        w.StructBegin();
        w.ListField(1, CompactType.Struct, g.Columns.Count);
        foreach (var chunk in g.Columns)
        {
            Write(w, chunk);
        }

        w.I64Field(2, g.TotalByteSize);
        w.I64Field(3, g.NumRows);
        if (g.FileOffset is { } fileOffset)
        {
            w.I64Field(5, fileOffset);
        }

        if (g.TotalCompressedSize is { } compressed)
        {
            w.I64Field(6, compressed);
        }

        if (g.Ordinal is { } ordinal)
        {
            w.I16Field(7, ordinal);
        }

        w.StructEnd();
    }

    public static void Write(CompactWriter w, ColumnChunk c)
    {
        w.StructBegin();
        if (c.FilePath is not null)
        {
            w.StringField(1, c.FilePath);
        }

        w.I64Field(2, c.FileOffset);
        if (c.MetaData is { } meta)
        {
            w.StructField(3);
            WriteColumnMetaDataFields(w, meta);
            w.StructEnd();
        }

        w.StructEnd();
    }

    private static void WriteColumnMetaDataFields(CompactWriter w, ColumnMetaData m)
    {
        w.I32Field(1, m.Type);
        w.ListField(2, CompactType.I32, m.Encodings.Count);
        foreach (var encoding in m.Encodings)
        {
            w.WriteI32(encoding);
        }

        w.ListField(3, CompactType.Binary, m.PathInSchema.Count);
        foreach (var part in m.PathInSchema)
        {
            w.WriteString(part);
        }

        w.I32Field(4, m.Codec);
        w.I64Field(5, m.NumValues);
        w.I64Field(6, m.TotalUncompressedSize);
        w.I64Field(7, m.TotalCompressedSize);
        if (m.KeyValueMetadata is { Count: > 0 } pairs)
        {
            WriteKeyValues(w, 8, pairs);
        }

        w.I64Field(9, m.DataPageOffset);
        if (m.IndexPageOffset is { } index)
        {
            w.I64Field(10, index);
        }

        if (m.DictionaryPageOffset is { } dictionary)
        {
            w.I64Field(11, dictionary);
        }

        if (m.Statistics is { } statistics)
        {
            w.StructField(12);
            WriteStatisticsFields(w, statistics);
            w.StructEnd();
        }
    }

    public static void Write(CompactWriter w, Statistics s)
    {
        w.StructBegin();
        WriteStatisticsFields(w, s);
        w.StructEnd();
    }

    private static void WriteStatisticsFields(CompactWriter w, Statistics s)
    {
        if (s.Max is { } max)
        {
            w.BinaryField(1, max);
        }

        if (s.Min is { } min)
        {
            w.BinaryField(2, min);
        }

        if (s.NullCount is { } nulls)
        {
            w.I64Field(3, nulls);
        }

        if (s.DistinctCount is { } distinct)
        {
            w.I64Field(4, distinct);
        }

        if (s.MaxValue is { } maxValue)
        {
            w.BinaryField(5, maxValue);
        }

        if (s.MinValue is { } minValue)
        {
            w.BinaryField(6, minValue);
        }

        if (s.IsMaxValueExact is { } maxExact)
        {
            w.BoolField(7, maxExact);
        }

        if (s.IsMinValueExact is { } minExact)
        {
            w.BoolField(8, minExact);
        }
    }

    private static void WriteKeyValues(CompactWriter w, short id, List<KeyValue> pairs)
    {
        w.ListField(id, CompactType.Struct, pairs.Count);
        foreach (var pair in pairs)
        {
            w.StructBegin();
            w.StringField(1, pair.Key);
            if (pair.Value is not null)
            {
                w.StringField(2, pair.Value);
            }

            w.StructEnd();
        }
    }

    public static void Write(CompactWriter w, PageHeader h)
    {
        w.StructBegin();
        w.I32Field(1, h.Type);
        w.I32Field(2, h.UncompressedPageSize);
        w.I32Field(3, h.CompressedPageSize);
        if (h.Crc is { } crc)
        {
            w.I32Field(4, crc);
        }

        if (h.DataPageHeader is { } data)
        {
            w.StructField(5);
            w.I32Field(1, data.NumValues);
            w.I32Field(2, data.Encoding);
            w.I32Field(3, data.DefinitionLevelEncoding);
            w.I32Field(4, data.RepetitionLevelEncoding);
            if (data.Statistics is { } statistics)
            {
                w.StructField(5);
                WriteStatisticsFields(w, statistics);
                w.StructEnd();
            }

            w.StructEnd();
        }

        if (h.DictionaryPageHeader is { } dictionary)
        {
            w.StructField(7);
            w.I32Field(1, dictionary.NumValues);
            w.I32Field(2, dictionary.Encoding);
            if (dictionary.IsSorted is { } sorted)
            {
                w.BoolField(3, sorted);
            }

            w.StructEnd();
        }

        if (h.DataPageHeaderV2 is { } v2)
        {
            w.StructField(8);
            w.I32Field(1, v2.NumValues);
            w.I32Field(2, v2.NumNulls);
            w.I32Field(3, v2.NumRows);
            w.I32Field(4, v2.Encoding);
            w.I32Field(5, v2.DefinitionLevelsByteLength);
            w.I32Field(6, v2.RepetitionLevelsByteLength);
            w.BoolField(7, v2.IsCompressed);
            if (v2.Statistics is { } statistics)
            {
                w.StructField(8);
                WriteStatisticsFields(w, statistics);
                w.StructEnd();
            }

            w.StructEnd();
        }

        w.StructEnd();
    }

    // ---------------------------------------------------------------- reading

    public static FileMetaData ReadFileMetaData(CompactReader r)
    {
        var m = new FileMetaData();
        bool version = false, schema = false, rows = false, groups = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    m.Version = r.ReadI32();
                    version = true;
                    break;
                case 2 when type == CompactType.List:
                    m.Schema = ReadStructList(r, ReadSchemaElement);
                    schema = true;
                    break;
                case 3 when type == CompactType.I64:
                    m.NumRows = r.ReadI64();
                    rows = true;
                    break;
                case 4 when type == CompactType.List:
                    m.RowGroups = ReadStructList(r, ReadRowGroup);
                    groups = true;
                    break;
                case 5 when type == CompactType.List:
                    m.KeyValueMetadata = ReadStructList(r, ReadKeyValue);
                    break;
                case 6 when type == CompactType.Binary:
                    m.CreatedBy = r.ReadString();
                    break;
                case 7 when type == CompactType.List:
                    m.ColumnOrders = ReadStructList(r, ReadUnionMember);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(version, "FileMetaData.version");
        Require(schema, "FileMetaData.schema");
        Require(rows, "FileMetaData.num_rows");
        Require(groups, "FileMetaData.row_groups");
        return m;
    }

    public static SchemaElement ReadSchemaElement(CompactReader r)
    {
        var e = new SchemaElement();
        var name = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    e.Type = r.ReadI32();
                    break;
                case 2 when type == CompactType.I32:
                    e.TypeLength = r.ReadI32();
                    break;
                case 3 when type == CompactType.I32:
                    e.RepetitionType = r.ReadI32();
                    break;
                case 4 when type == CompactType.Binary:
                    e.Name = r.ReadString();
                    name = true;
                    break;
                case 5 when type == CompactType.I32:
                    e.NumChildren = r.ReadI32();
                    break;
                case 6 when type == CompactType.I32:
                    e.ConvertedType = r.ReadI32();
                    break;
                case 7 when type == CompactType.I32:
                    e.Scale = r.ReadI32();
                    break;
                case 8 when type == CompactType.I32:
                    e.Precision = r.ReadI32();
                    break;
                case 9 when type == CompactType.I32:
                    e.FieldId = r.ReadI32();
                    break;
                case 10 when type == CompactType.Struct:
                    e.LogicalType = ReadLogicalType(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(name, "SchemaElement.name");
        return e;
    }

    private static LogicalTypeInfo? ReadLogicalType(CompactReader r)
    {
        LogicalTypeInfo? result = null;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            if (type != CompactType.Struct)
            {
                r.Skip(type);
                continue;
            }

            var logical = new LogicalTypeInfo { Kind = id };
            r.StructBegin();
            while (r.ReadFieldHeader(out var fieldType, out var fieldId))
            {
                switch (id, fieldId)
                {
                    case (LogicalTypeInfo.TimestampKind or LogicalTypeInfo.TimeKind, 1) when fieldType is CompactType.BooleanTrue or CompactType.BooleanFalse:
                        logical.IsAdjustedToUtc = CompactReader.BooleanFromFieldType(fieldType);
                        break;
                    case (LogicalTypeInfo.TimestampKind or LogicalTypeInfo.TimeKind, 2) when fieldType == CompactType.Struct:
                        logical.Unit = ReadUnionMember(r);
                        break;
                    case (LogicalTypeInfo.DecimalKind, 1) when fieldType == CompactType.I32:
                        logical.Scale = r.ReadI32();
                        break;
                    case (LogicalTypeInfo.DecimalKind, 2) when fieldType == CompactType.I32:
                        logical.Precision = r.ReadI32();
                        break;
                    case (LogicalTypeInfo.IntegerKind, 1) when fieldType == CompactType.Byte:
                        logical.BitWidth = (sbyte)r.ReadByte();
                        break;
                    case (LogicalTypeInfo.IntegerKind, 2) when fieldType is CompactType.BooleanTrue or CompactType.BooleanFalse:
                        logical.IsSigned = CompactReader.BooleanFromFieldType(fieldType);
                        break;
                    default:
                        r.Skip(fieldType);
                        break;
                }
            }

            r.StructEnd();
            result = logical;
        }

        r.StructEnd();
        return result;
    }

    /// <summary>Reads a union whose members are structs we do not need to look into; returns the member's field id (0 if none).</summary>
    private static short ReadUnionMember(CompactReader r)
    {
        short member = 0;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            if (type == CompactType.Struct)
            {
                member = id;
            }

            r.Skip(type);
        }

        r.StructEnd();
        return member;
    }

    public static RowGroup ReadRowGroup(CompactReader r)
    {
        var g = new RowGroup();
        bool columns = false, bytes = false, rows = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.List:
                    g.Columns = ReadStructList(r, ReadColumnChunk);
                    columns = true;
                    break;
                case 2 when type == CompactType.I64:
                    g.TotalByteSize = r.ReadI64();
                    bytes = true;
                    break;
                case 3 when type == CompactType.I64:
                    g.NumRows = r.ReadI64();
                    rows = true;
                    break;
                case 5 when type == CompactType.I64:
                    g.FileOffset = r.ReadI64();
                    break;
                case 6 when type == CompactType.I64:
                    g.TotalCompressedSize = r.ReadI64();
                    break;
                case 7 when type == CompactType.I16:
                    g.Ordinal = r.ReadI16();
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(columns, "RowGroup.columns");
        Require(bytes, "RowGroup.total_byte_size");
        Require(rows, "RowGroup.num_rows");
        return g;
    }

    public static ColumnChunk ReadColumnChunk(CompactReader r)
    {
        var c = new ColumnChunk();
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary:
                    c.FilePath = r.ReadString();
                    break;
                case 2 when type == CompactType.I64:
                    c.FileOffset = r.ReadI64();
                    break;
                case 3 when type == CompactType.Struct:
                    c.MetaData = ReadColumnMetaData(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        return c;
    }

    public static ColumnMetaData ReadColumnMetaData(CompactReader r)
    {
        var m = new ColumnMetaData();
        bool type_ = false, encodings = false, path = false, codec = false, values = false, uncompressed = false, compressed = false, dataOffset = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    m.Type = r.ReadI32();
                    type_ = true;
                    break;
                case 2 when type == CompactType.List:
                    m.Encodings = ReadList(r, CompactType.I32, static reader => reader.ReadI32());
                    encodings = true;
                    break;

                case 3 when type == CompactType.List:
                    m.PathInSchema = ReadList(r, CompactType.Binary, static reader => reader.ReadString());
                    path = true;
                    break;

                case 4 when type == CompactType.I32:
                    m.Codec = r.ReadI32();
                    codec = true;
                    break;
                case 5 when type == CompactType.I64:
                    m.NumValues = r.ReadI64();
                    values = true;
                    break;
                case 6 when type == CompactType.I64:
                    m.TotalUncompressedSize = r.ReadI64();
                    uncompressed = true;
                    break;
                case 7 when type == CompactType.I64:
                    m.TotalCompressedSize = r.ReadI64();
                    compressed = true;
                    break;
                case 8 when type == CompactType.List:
                    m.KeyValueMetadata = ReadStructList(r, ReadKeyValue);
                    break;
                case 9 when type == CompactType.I64:
                    m.DataPageOffset = r.ReadI64();
                    dataOffset = true;
                    break;
                case 10 when type == CompactType.I64:
                    m.IndexPageOffset = r.ReadI64();
                    break;
                case 11 when type == CompactType.I64:
                    m.DictionaryPageOffset = r.ReadI64();
                    break;
                case 12 when type == CompactType.Struct:
                    m.Statistics = ReadStatistics(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(type_, "ColumnMetaData.type");
        Require(encodings, "ColumnMetaData.encodings");
        Require(path, "ColumnMetaData.path_in_schema");
        Require(codec, "ColumnMetaData.codec");
        Require(values, "ColumnMetaData.num_values");
        Require(uncompressed, "ColumnMetaData.total_uncompressed_size");
        Require(compressed, "ColumnMetaData.total_compressed_size");
        Require(dataOffset, "ColumnMetaData.data_page_offset");
        return m;
    }

    public static Statistics ReadStatistics(CompactReader r)
    {
        var s = new Statistics();
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary:
                    s.Max = r.ReadBinary();
                    break;
                case 2 when type == CompactType.Binary:
                    s.Min = r.ReadBinary();
                    break;
                case 3 when type == CompactType.I64:
                    s.NullCount = r.ReadI64();
                    break;
                case 4 when type == CompactType.I64:
                    s.DistinctCount = r.ReadI64();
                    break;
                case 5 when type == CompactType.Binary:
                    s.MaxValue = r.ReadBinary();
                    break;
                case 6 when type == CompactType.Binary:
                    s.MinValue = r.ReadBinary();
                    break;
                case 7 when type is CompactType.BooleanTrue or CompactType.BooleanFalse:
                    s.IsMaxValueExact = CompactReader.BooleanFromFieldType(type);
                    break;
                case 8 when type is CompactType.BooleanTrue or CompactType.BooleanFalse:
                    s.IsMinValueExact = CompactReader.BooleanFromFieldType(type);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        return s;
    }

    public static KeyValue ReadKeyValue(CompactReader r)
    {
        var kv = new KeyValue();
        var key = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.Binary:
                    kv.Key = r.ReadString();
                    key = true;
                    break;
                case 2 when type == CompactType.Binary:
                    kv.Value = r.ReadString();
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(key, "KeyValue.key");
        return kv;
    }

    public static PageHeader ReadPageHeader(CompactReader r)
    {
        var h = new PageHeader();
        bool type_ = false, uncompressed = false, compressed = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    h.Type = r.ReadI32();
                    type_ = true;
                    break;
                case 2 when type == CompactType.I32:
                    h.UncompressedPageSize = r.ReadI32();
                    uncompressed = true;
                    break;
                case 3 when type == CompactType.I32:
                    h.CompressedPageSize = r.ReadI32();
                    compressed = true;
                    break;
                case 4 when type == CompactType.I32:
                    h.Crc = r.ReadI32();
                    break;
                case 5 when type == CompactType.Struct:
                    h.DataPageHeader = ReadDataPageHeader(r);
                    break;
                case 7 when type == CompactType.Struct:
                    h.DictionaryPageHeader = ReadDictionaryPageHeader(r);
                    break;
                case 8 when type == CompactType.Struct:
                    h.DataPageHeaderV2 = ReadDataPageHeaderV2(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(type_, "PageHeader.type");
        Require(uncompressed, "PageHeader.uncompressed_page_size");
        Require(compressed, "PageHeader.compressed_page_size");
        return h;
    }

    private static DataPageHeader ReadDataPageHeader(CompactReader r)
    {
        var h = new DataPageHeader();
        bool values = false, encoding = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    h.NumValues = r.ReadI32();
                    values = true;
                    break;
                case 2 when type == CompactType.I32:
                    h.Encoding = r.ReadI32();
                    encoding = true;
                    break;
                case 3 when type == CompactType.I32:
                    h.DefinitionLevelEncoding = r.ReadI32();
                    break;
                case 4 when type == CompactType.I32:
                    h.RepetitionLevelEncoding = r.ReadI32();
                    break;
                case 5 when type == CompactType.Struct:
                    h.Statistics = ReadStatistics(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(values, "DataPageHeader.num_values");
        Require(encoding, "DataPageHeader.encoding");
        return h;
    }

    private static DictionaryPageHeader ReadDictionaryPageHeader(CompactReader r)
    {
        var h = new DictionaryPageHeader();
        var values = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    h.NumValues = r.ReadI32();
                    values = true;
                    break;
                case 2 when type == CompactType.I32:
                    h.Encoding = r.ReadI32();
                    break;
                case 3 when type is CompactType.BooleanTrue or CompactType.BooleanFalse:
                    h.IsSorted = CompactReader.BooleanFromFieldType(type);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(values, "DictionaryPageHeader.num_values");
        return h;
    }

    private static DataPageHeaderV2 ReadDataPageHeaderV2(CompactReader r)
    {
        var h = new DataPageHeaderV2();
        bool values = false, nulls = false, rows = false, encoding = false, defLength = false, repLength = false;
        r.StructBegin();
        while (r.ReadFieldHeader(out var type, out var id))
        {
            switch (id)
            {
                case 1 when type == CompactType.I32:
                    h.NumValues = r.ReadI32();
                    values = true;
                    break;
                case 2 when type == CompactType.I32:
                    h.NumNulls = r.ReadI32();
                    nulls = true;
                    break;
                case 3 when type == CompactType.I32:
                    h.NumRows = r.ReadI32();
                    rows = true;
                    break;
                case 4 when type == CompactType.I32:
                    h.Encoding = r.ReadI32();
                    encoding = true;
                    break;
                case 5 when type == CompactType.I32:
                    h.DefinitionLevelsByteLength = r.ReadI32();
                    defLength = true;
                    break;
                case 6 when type == CompactType.I32:
                    h.RepetitionLevelsByteLength = r.ReadI32();
                    repLength = true;
                    break;
                case 7 when type is CompactType.BooleanTrue or CompactType.BooleanFalse:
                    h.IsCompressed = CompactReader.BooleanFromFieldType(type);
                    break;
                case 8 when type == CompactType.Struct:
                    h.Statistics = ReadStatistics(r);
                    break;
                default:
                    r.Skip(type);
                    break;
            }
        }

        r.StructEnd();
        Require(values, "DataPageHeaderV2.num_values");
        Require(nulls, "DataPageHeaderV2.num_nulls");
        Require(rows, "DataPageHeaderV2.num_rows");
        Require(encoding, "DataPageHeaderV2.encoding");
        Require(defLength, "DataPageHeaderV2.definition_levels_byte_length");
        Require(repLength, "DataPageHeaderV2.repetition_levels_byte_length");
        return h;
    }

    private static List<T> ReadStructList<T>(CompactReader r, Func<CompactReader, T> read) => ReadList(r, CompactType.Struct, read);

    /// <summary>A list whose elements must all be of <paramref name="expected"/> type.</summary>
    private static List<T> ReadList<T>(CompactReader r, byte expected, Func<CompactReader, T> read)
    {
        var count = r.ReadListHeader(out var element);
        if (element != expected && count > 0)
        {
            throw new ThriftException($"expected a list of {expected}, found element type {element}");
        }

        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(read(r));
        }

        return list;
    }

    private static void Require(bool present, string field)
    {
        if (!present)
        {
            throw new ThriftException($"required field {field} is missing");
        }
    }
}
