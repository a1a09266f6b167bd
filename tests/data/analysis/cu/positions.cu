// RoPE-like kernels taking the position directly or through a device buffer (graph decode).
extern "C" __global__ void rope_indirect(float* x, const int* position_buf, int hd) {
    const int i = threadIdx.x;
    if (2 * i + 1 >= hd) return;
    const float angle = position_buf[0] * __powf(10000.f, -2.f * i / hd);
    float s, c;
    __sincosf(angle, &s, &c);
    const float a = x[2 * i], b = x[2 * i + 1];
    x[2 * i] = a * c - b * s;
    x[2 * i + 1] = a * s + b * c;
}

extern "C" __global__ void rope_direct(float* x, int pos, int hd) {
    const int i = threadIdx.x;
    if (2 * i + 1 >= hd) return;
    const float angle = pos * __powf(10000.f, -2.f * i / hd);
    float s, c;
    __sincosf(angle, &s, &c);
    const float a = x[2 * i], b = x[2 * i + 1];
    x[2 * i] = a * c - b * s;
    x[2 * i + 1] = a * s + b * c;
}
