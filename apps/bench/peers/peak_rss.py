"""Peak resident memory of this process, shared by the Python peers of the bench harness."""
import resource


def peak_rss_mib():
    """VmHWM of this process in MiB (getrusage's ru_maxrss would carry over the forking parent's RSS)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
