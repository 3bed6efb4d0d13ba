using System.Runtime.InteropServices;

namespace EdgeSafety.Modbus.Native;

/// <summary>
/// P/Invoke declarations for Debian's libmodbus5 (3.1.6). Every constant and layout is taken from the
/// libmodbus-dev headers in /usr/include/modbus (modbus.h, modbus-rtu.h, modbus-tcp.h) or, for errno values,
/// from the Linux headers named beside each one.
/// </summary>
internal static unsafe partial class LibModbus
{
    /// <summary>Full soname: the short name "modbus" only resolves when libmodbus-dev is installed.</summary>
    private const string Library = "libmodbus.so.5";

    // modbus.h: "#define MODBUS_ENOBASE 112345678" (random number to avoid errno conflicts).
    public const int ModbusEnoBase = 112345678;

    // modbus.h: enum { MODBUS_EXCEPTION_ILLEGAL_FUNCTION = 0x01, MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS, ...,
    // MODBUS_EXCEPTION_GATEWAY_TARGET (= 11), MODBUS_EXCEPTION_MAX }.
    public const int ExceptionIllegalFunction = 0x01;
    public const int ExceptionGatewayTarget = 11;

    // modbus.h: EMBXILFUN = MODBUS_ENOBASE + MODBUS_EXCEPTION_ILLEGAL_FUNCTION ... EMBXGTAR = MODBUS_ENOBASE +
    // MODBUS_EXCEPTION_GATEWAY_TARGET: a slave's exception reply arrives as errno ENOBASE + exception code.
    public const int EmbXIlFun = ModbusEnoBase + ExceptionIllegalFunction;
    public const int EmbXGTar = ModbusEnoBase + ExceptionGatewayTarget;

    // modbus.h, "Native libmodbus error codes": EMBBADCRC = EMBXGTAR + 1 ... EMBBADSLAVE = EMBXGTAR + 6.
    public const int EmbBadCrc = EmbXGTar + 1;
    public const int EmbBadData = EmbXGTar + 2;
    public const int EmbBadExc = EmbXGTar + 3;
    public const int EmbUnkExc = EmbXGTar + 4;
    public const int EmbMData = EmbXGTar + 5;
    public const int EmbBadSlave = EmbXGTar + 6;

    // modbus.h: MODBUS_MAX_READ_REGISTERS 125, MODBUS_MAX_WRITE_REGISTERS 123.
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;

    // modbus.h: #define MODBUS_BROADCAST_ADDRESS 0.
    public const byte BroadcastAddress = 0;

    // modbus-rtu.h: #define MODBUS_RTU_MAX_ADU_LENGTH 256.
    public const int RtuMaxAduLength = 256;

    // modbus.h: #define MODBUS_MAX_ADU_LENGTH 260 (also MODBUS_TCP_MAX_ADU_LENGTH in modbus-tcp.h): the size of
    // the buffer modbus_receive writes to.
    public const int MaxAduLength = 260;

    // modbus.h: typedef enum { MODBUS_ERROR_RECOVERY_NONE = 0, MODBUS_ERROR_RECOVERY_LINK = (1<<1),
    // MODBUS_ERROR_RECOVERY_PROTOCOL = (1<<2) } modbus_error_recovery_mode.
    public const int ErrorRecoveryProtocol = 1 << 2;

    // modbus-rtu.h: #define MODBUS_RTU_RS485 1 (modbus_rtu_set_serial_mode); the RTS modes are Rs485RtsMode's values.
    public const int RtuSerialModeRs485 = 1;

    // Function codes, modbus.h "Modbus function codes".
    public const byte FcReadCoils = 0x01;
    public const byte FcReadDiscreteInputs = 0x02;
    public const byte FcReadHoldingRegisters = 0x03;
    public const byte FcReadInputRegisters = 0x04;
    public const byte FcWriteSingleCoil = 0x05;
    public const byte FcWriteSingleRegister = 0x06;
    public const byte FcReadExceptionStatus = 0x07;
    public const byte FcWriteMultipleCoils = 0x0F;
    public const byte FcWriteMultipleRegisters = 0x10;
    public const byte FcReportSlaveId = 0x11;
    public const byte FcMaskWriteRegister = 0x16;
    public const byte FcWriteAndReadRegisters = 0x17;

    [LibraryImport(Library, EntryPoint = "modbus_new_rtu", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial ModbusContextHandle NewRtu(string device, int baud, byte parity, int dataBits, int stopBits);

    [LibraryImport(Library, EntryPoint = "modbus_new_tcp_pi", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial ModbusContextHandle NewTcpPi(string node, string service);

    [LibraryImport(Library, EntryPoint = "modbus_connect", SetLastError = true)]
    public static partial int Connect(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_close")]
    public static partial void Close(nint ctx);

    [LibraryImport(Library, EntryPoint = "modbus_free")]
    public static partial void Free(nint ctx);

    [LibraryImport(Library, EntryPoint = "modbus_set_slave", SetLastError = true)]
    public static partial int SetSlave(ModbusContextHandle ctx, int slave);

    [LibraryImport(Library, EntryPoint = "modbus_set_error_recovery", SetLastError = true)]
    public static partial int SetErrorRecovery(ModbusContextHandle ctx, int errorRecovery);

    [LibraryImport(Library, EntryPoint = "modbus_set_socket", SetLastError = true)]
    public static partial int SetSocket(ModbusContextHandle ctx, int socket);

    [LibraryImport(Library, EntryPoint = "modbus_get_socket", SetLastError = true)]
    public static partial int GetSocket(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_set_serial_mode", SetLastError = true)]
    public static partial int RtuSetSerialMode(ModbusContextHandle ctx, int mode);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_set_rts", SetLastError = true)]
    public static partial int RtuSetRts(ModbusContextHandle ctx, int mode);

    [LibraryImport(Library, EntryPoint = "modbus_set_response_timeout", SetLastError = true)]
    public static partial int SetResponseTimeout(ModbusContextHandle ctx, uint seconds, uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_set_byte_timeout", SetLastError = true)]
    public static partial int SetByteTimeout(ModbusContextHandle ctx, uint seconds, uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_set_indication_timeout", SetLastError = true)]
    public static partial int SetIndicationTimeout(ModbusContextHandle ctx, uint seconds, uint microseconds);

    /// <summary>Returns a pointer to a static or strerror string: never freed, so not marshalled as string here.</summary>
    [LibraryImport(Library, EntryPoint = "modbus_strerror")]
    private static partial byte* StrErrorNative(int errnum);

    public static string StrError(int errnum) =>
        Marshal.PtrToStringUTF8((nint)StrErrorNative(errnum)) ?? $"error {errnum}";

    [LibraryImport(Library, EntryPoint = "modbus_read_registers", SetLastError = true)]
    public static partial int ReadRegisters(ModbusContextHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_input_registers", SetLastError = true)]
    public static partial int ReadInputRegisters(ModbusContextHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_write_register", SetLastError = true)]
    public static partial int WriteRegister(ModbusContextHandle ctx, int address, ushort value);

    [LibraryImport(Library, EntryPoint = "modbus_write_registers", SetLastError = true)]
    public static partial int WriteRegisters(ModbusContextHandle ctx, int address, int count, ushort* values);

    [LibraryImport(Library, EntryPoint = "modbus_mapping_new", SetLastError = true)]
    public static partial ModbusMappingHandle MappingNew(int bits, int inputBits, int registers, int inputRegisters);

    [LibraryImport(Library, EntryPoint = "modbus_mapping_free")]
    public static partial void MappingFree(nint mapping);

    [LibraryImport(Library, EntryPoint = "modbus_receive", SetLastError = true)]
    public static partial int Receive(ModbusContextHandle ctx, byte* request);

    [LibraryImport(Library, EntryPoint = "modbus_reply", SetLastError = true)]
    public static partial int Reply(ModbusContextHandle ctx, byte* request, int requestLength, ModbusMappingHandle mapping);

    [LibraryImport(Library, EntryPoint = "modbus_reply_exception", SetLastError = true)]
    public static partial int ReplyException(ModbusContextHandle ctx, byte* request, uint exceptionCode);
}

/// <summary>
/// modbus.h: typedef struct _modbus_mapping_t { int nb_bits; int start_bits; int nb_input_bits;
/// int start_input_bits; int nb_input_registers; int start_input_registers; int nb_registers;
/// int start_registers; uint8_t *tab_bits; uint8_t *tab_input_bits; uint16_t *tab_input_registers;
/// uint16_t *tab_registers; } modbus_mapping_t. Same field order, natural alignment.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ModbusMapping
{
    public int NbBits;
    public int StartBits;
    public int NbInputBits;
    public int StartInputBits;
    public int NbInputRegisters;
    public int StartInputRegisters;
    public int NbRegisters;
    public int StartRegisters;
    public byte* TabBits;
    public byte* TabInputBits;
    public ushort* TabInputRegisters;
    public ushort* TabRegisters;
}
