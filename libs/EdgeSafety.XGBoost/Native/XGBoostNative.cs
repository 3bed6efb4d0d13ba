using System.Runtime.InteropServices;

namespace EdgeSafety.XGBoost.Native;

/// <summary>
/// P/Invoke declarations for libxgboost 1.7.4, signatures from /usr/include/xgboost/c_api.h (Debian package
/// libxgboost-dev 1.7.4): handles are <c>void*</c>, <c>bst_ulong</c> is <c>uint64_t</c>, every call returns 0 on
/// success and -1 on failure, with the reason in <c>XGBGetLastError</c> (thread-local).
/// </summary>
internal static unsafe partial class XGBoostNative
{
    /// <summary>The full soname: the short name "xgboost" only resolves where the -dev package is installed.</summary>
    private const string Library = "libxgboost.so.0";

    /// <summary>Throws the library's own message when a call failed.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0)
        {
            var reason = Marshal.PtrToStringUTF8((nint)XGBGetLastError()) ?? "no reason given";
            throw new XGBoostException($"{call} failed: {reason}");
        }
    }

    [LibraryImport(Library)]
    private static partial byte* XGBGetLastError();

    [LibraryImport(Library)]
    public static partial int XGDMatrixCreateFromMat(float* data, ulong nrow, ulong ncol, float missing, out DMatrixSafeHandle handle);

    [LibraryImport(Library)]
    public static partial int XGDMatrixFree(nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGDMatrixSetFloatInfo(DMatrixSafeHandle handle, string field, float* array, ulong length);

    [LibraryImport(Library)]
    public static partial int XGBoosterCreate(nint* matrices, ulong length, out BoosterSafeHandle handle);

    [LibraryImport(Library)]
    public static partial int XGBoosterFree(nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGBoosterSetParam(BoosterSafeHandle handle, string name, string value);

    [LibraryImport(Library)]
    public static partial int XGBoosterUpdateOneIter(BoosterSafeHandle handle, int iteration, DMatrixSafeHandle train);

    [LibraryImport(Library)]
    public static partial int XGBoosterBoostedRounds(BoosterSafeHandle handle, out int rounds);

    [LibraryImport(Library)]
    public static partial int XGBoosterGetNumFeature(BoosterSafeHandle handle, out ulong features);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGBoosterSaveModelToBuffer(BoosterSafeHandle handle, string config, out ulong length, out byte* data);

    [LibraryImport(Library)]
    public static partial int XGBoosterLoadModelFromBuffer(BoosterSafeHandle handle, byte* buffer, ulong length);

    /// <summary>In-place prediction; <paramref name="values"/> and <paramref name="config"/> are NUL-terminated UTF-8 JSON.</summary>
    [LibraryImport(Library)]
    public static partial int XGBoosterPredictFromDense(BoosterSafeHandle handle, byte* values, byte* config, nint proxy,
        out ulong* shape, out ulong dimensions, out float* result);
}

/// <summary>A DMatrixHandle, freed with XGDMatrixFree.</summary>
internal sealed class DMatrixSafeHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => XGBoostNative.XGDMatrixFree(handle) == 0;
}

/// <summary>A BoosterHandle, freed with XGBoosterFree.</summary>
internal sealed class BoosterSafeHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => XGBoostNative.XGBoosterFree(handle) == 0;
}
