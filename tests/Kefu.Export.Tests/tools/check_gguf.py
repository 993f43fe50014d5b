#!/usr/bin/env python3
# Usage: python3 check_gguf.py MODEL.gguf MODEL_FOLDER/model.safetensors   (standard library only)
# Independent check of a Kefu GGUF against its safetensors source: parses GGUF v3 per gguf.md, re-quantizes
# each tensor with a Python port of ggml's quantize_row_q8_0_ref / q4_0_ref (float32 arithmetic emulated) and
# compares bytes.
import json, struct, sys, math

def f32(x): return struct.unpack('<f', struct.pack('<f', x))[0]

def read_gguf(path):
    b = open(path, 'rb').read(); p = 0
    def u(fmt):
        nonlocal p; v = struct.unpack_from('<' + fmt, b, p); p += struct.calcsize('<' + fmt); return v[0]
    def s():
        nonlocal p; n = u('Q'); v = b[p:p+n].decode('utf-8'); p += n; return v
    scal = {0:'B',1:'b',2:'H',3:'h',4:'I',5:'i',6:'f',10:'Q',11:'q',12:'d'}
    def val(t):
        if t in scal: return u(scal[t])
        if t == 7: return u('B') != 0
        if t == 8: return s()
        if t == 9:
            et = u('I'); n = u('Q'); return [val(et) for _ in range(n)]
        raise ValueError(t)
    assert b[:4] == b'GGUF'; p = 4
    ver = u('I'); nt = u('Q'); nk = u('Q')
    meta = {}
    for _ in range(nk):
        k = s(); t = u('I'); meta[k] = val(t)
    tensors = []
    for _ in range(nt):
        name = s(); nd = u('I'); dims = [u('Q') for _ in range(nd)]; typ = u('I'); off = u('Q')
        tensors.append((name, dims, typ, off))
    align = meta.get('general.alignment', 32)
    data = (p + align - 1) // align * align
    return ver, meta, tensors, b, data

def q8(x):
    out = bytearray()
    for i in range(0, len(x), 32):
        blk = x[i:i+32]; amax = max(abs(v) for v in blk)
        d = f32(amax / 127.0); idv = f32(1.0 / d) if d else 0.0
        out += struct.pack('<e', d)
        for v in blk:
            t = f32(v * idv); q = math.floor(abs(t) + 0.5) * (1 if t >= 0 else -1)
            out += struct.pack('<b', int(q))
    return bytes(out)

def q4(x):
    out = bytearray()
    for i in range(0, len(x), 32):
        blk = x[i:i+32]; amax = 0.0; mx = 0.0
        for v in blk:
            if amax < abs(v): amax = abs(v); mx = v
        d = f32(mx / -8.0); idv = f32(1.0 / d) if d else 0.0
        out += struct.pack('<e', d)
        for j in range(16):
            a = min(15, int(f32(f32(blk[j] * idv) + 8.5))); c = min(15, int(f32(f32(blk[16 + j] * idv) + 8.5)))
            out.append(a | (c << 4))
    return bytes(out)

def read_safetensors(path):
    b = open(path, 'rb').read(); n = struct.unpack_from('<Q', b, 0)[0]; h = json.loads(b[8:8+n]); base = 8 + n
    out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']; raw = b[base+s:base+e]
        if v['dtype'] == 'F32': out[k] = (v['shape'], list(struct.unpack('<%df' % (len(raw)//4), raw)))
        elif v['dtype'] == 'BF16': out[k] = (v['shape'], [struct.unpack('<f', b'\0\0' + raw[i:i+2])[0] for i in range(0, len(raw), 2)])
    return out

gguf_path, st_path = sys.argv[1], sys.argv[2]
ver, meta, tensors, blob, data = read_gguf(gguf_path)
print('version', ver, 'tensors', len(tensors), 'arch', meta['general.architecture'], 'file_type', meta['general.file_type'])
for k in ['qwen2.block_count','qwen2.context_length','qwen2.embedding_length','qwen2.feed_forward_length','qwen2.attention.head_count',
          'qwen2.attention.head_count_kv','qwen2.rope.freq_base','qwen2.attention.layer_norm_rms_epsilon','tokenizer.ggml.model','tokenizer.ggml.pre',
          'tokenizer.ggml.eos_token_id','tokenizer.ggml.padding_token_id','tokenizer.ggml.bos_token_id']:
    print(' ', k, meta[k])
print('  tokens', len(meta['tokenizer.ggml.tokens']), 'merges', len(meta['tokenizer.ggml.merges']), 'types', sorted(set(meta['tokenizer.ggml.token_type'])))
st = read_safetensors(st_path)
names = {'model.embed_tokens.weight':'token_embd.weight','model.norm.weight':'output_norm.weight'}
parts = {'input_layernorm':'attn_norm','self_attn.q_proj':'attn_q','self_attn.k_proj':'attn_k','self_attn.v_proj':'attn_v','self_attn.o_proj':'attn_output',
         'post_attention_layernorm':'ffn_norm','mlp.gate_proj':'ffn_gate','mlp.up_proj':'ffn_up','mlp.down_proj':'ffn_down'}
for k in st:
    if k.startswith('model.layers.'):
        _, _, i, rest = k.split('.', 3); mod, kind = rest.rsplit('.', 1); names[k] = f'blk.{i}.{parts[mod]}.{kind}'
by = {t[0]: t for t in tensors}
ok = 0
for k, (shape, vals) in st.items():
    name, dims, typ, off = by[names[k]]
    assert dims == list(reversed(shape)), (k, dims, shape)
    if len(vals) > 1_000_000:
        vals = vals[:64 * shape[-1]]  # the embedding: first 64 rows (pure Python is slow)
    exp = {0: lambda v: struct.pack('<%df' % len(v), *v), 1: lambda v: b''.join(struct.pack('<e', x) for x in v), 8: q8, 2: q4}[typ](vals)
    got = blob[data+off:data+off+len(exp)]
    assert got == exp, f'{k}: bytes differ (type {typ})'
    ok += 1
print('tensors byte-identical to the Python reference:', ok, 'of', len(st))
