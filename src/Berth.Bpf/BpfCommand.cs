namespace Berth.Bpf;

/// <summary>The bpf(2) commands Berth issues (include/uapi/linux/bpf.h, enum bpf_cmd).</summary>
internal enum BpfCommand
{
    MapCreate = 0,
    MapLookupElem = 1,
    MapUpdateElem = 2,
    GetPrandomU32 = 7,
    MapDeleteElem = 3,
    ProgLoad = 5,
    LinkCreate = 28,
}

/// <summary>Program types (enum bpf_prog_type) Berth loads.</summary>
public enum BpfProgramType
{
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCK_ADDR: runs on bind/connect/sendmsg of sockets in a cgroup and may rewrite the address.</summary>
    CgroupSockAddr = 18,

    /// <summary>BPF_PROG_TYPE_SOCK_OPS: runs on TCP events (connect, established, state changes) of sockets in a cgroup.</summary>
    SockOps = 13,
}

/// <summary>Attach points (enum bpf_attach_type) Berth uses.</summary>
public enum BpfAttachType
{
    CgroupSockOps = 3,
    CgroupInet4Bind = 8,
    CgroupInet6Bind = 9,
    CgroupInet4Connect = 10,
    CgroupInet6Connect = 11,
}

/// <summary>Map types (enum bpf_map_type) Berth creates.</summary>
public enum BpfMapType
{
    Hash = 1,
    Array = 2,

    /// <summary>BPF_MAP_TYPE_LRU_HASH: a hash that evicts the least recently used element instead of failing when full.</summary>
    LruHash = 9,
}

/// <summary>Helper function numbers (enum bpf_func_id) the assembled programs call.</summary>
public enum BpfHelper
{
    MapLookupElem = 1,
    MapUpdateElem = 2,
    MapDeleteElem = 3,
    GetPrandomU32 = 7,
    GetSocketCookie = 46,
    GetSockOpt = 57,
    SockOpsCbFlagsSet = 59,
    GetCurrentCgroupId = 80,
    SkLookupTcp = 84,
    SkRelease = 86,
}
