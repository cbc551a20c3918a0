#!/usr/bin/env python3
"""The PyTorch twin of `lvm bench vae`: the same VAE trained on the same rows.

Usage: vae_twin.py FOLDER THREADS
FOLDER holds train.f32 and heldout.f32 (little-endian float32, row-major) and settings.json
({"trainRows", "heldOutRows", "dims", "latentDim", "encoder", "decoder", "likelihood", "learningRate",
"batchSize", "epochs", "importanceSamples", "seed"}), all written by the bench.

The network is the one spark-lvm trains: encoder ReLU layers to [mu, log sigma^2], z = mu + sigma eps
(one draw), decoder ReLU layers to logits (Bernoulli) or means with a learned log-variance per
dimension (Gaussian), loss = mean over the minibatch of -(log p(x|z) - KL(q || N(0, I))), Adam.
Initialisation as spark-lvm's: He before ReLUs, Xavier for the latent and output layers, zero
biases. Rows are shuffled every epoch. Timed: the training epochs alone (start-up, data loading and
scoring excluded).

Prints one JSON line: examplesPerSecond, trainSeconds, examplesPerCpuSecond and trainCpuSeconds
(process CPU time over the same span), heldOutElbo (one draw per row) and
heldOutIwae (log (1/K) sum_k p(x, z_k) / q(z_k|x), K draws from q per row), both means per row,
threads, version.
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def dense(n_in, n_out, relu):
    layer = nn.Linear(n_in, n_out)
    if relu:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    else:
        nn.init.xavier_normal_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def mlp(sizes, n_out):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [dense(a, b, True), nn.ReLU()]
    layers.append(dense(sizes[-1], n_out, False))
    return nn.Sequential(*layers)


class Vae(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.latent = s["latentDim"]
        self.bernoulli = s["likelihood"] == "bernoulli"
        self.encoder = mlp([s["dims"]] + s["encoder"], 2 * self.latent)
        self.decoder = mlp([self.latent] + s["decoder"], s["dims"])
        self.log_var_out = None if self.bernoulli else nn.Parameter(torch.zeros(s["dims"]))

    def encode(self, x):
        h = self.encoder(x)
        return h[:, :self.latent], h[:, self.latent:]

    def log_px_z(self, x, out):
        """log p(x|z) summed over dimensions, x broadcasting over out's leading axes."""
        if self.bernoulli:
            return -nn.functional.binary_cross_entropy_with_logits(
                out, x.expand_as(out), reduction="none").sum(-1)
        lv = self.log_var_out
        return (-0.5 * ((x - out) ** 2 * torch.exp(-lv) + lv + math.log(2 * math.pi))).sum(-1)

    def elbo(self, x):
        mu, log_var = self.encode(x)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        kl = 0.5 * (torch.exp(log_var) + mu * mu - 1.0 - log_var).sum(-1)
        return self.log_px_z(x, self.decoder(z)) - kl

    def iwae(self, x, k):
        mu, log_var = self.encode(x)
        sigma = torch.exp(0.5 * log_var)
        eps = torch.randn((k,) + mu.shape, dtype=mu.dtype)
        z = mu + sigma * eps
        log_q = (-0.5 * (eps ** 2 + log_var + math.log(2 * math.pi))).sum(-1)
        log_p = (-0.5 * (z ** 2 + math.log(2 * math.pi))).sum(-1)
        log_w = self.log_px_z(x, self.decoder(z)) + log_p - log_q
        return torch.logsumexp(log_w, 0) - math.log(k)


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "settings.json")) as f:
        s = json.load(f)
    d = s["dims"]
    train = torch.from_numpy(np.fromfile(
        os.path.join(folder, "train.f32"), dtype="<f4").reshape(s["trainRows"], d))
    held = torch.from_numpy(np.fromfile(
        os.path.join(folder, "heldout.f32"), dtype="<f4").reshape(s["heldOutRows"], d))
    torch.manual_seed(s["seed"])
    model = Vae(s)
    opt = torch.optim.Adam(model.parameters(), lr=s["learningRate"])
    batch, n = s["batchSize"], train.shape[0]
    seconds = 0.0
    cpu = 0.0
    for _ in range(s["epochs"]):
        t0 = time.perf_counter()
        c0 = time.process_time()
        order = torch.randperm(n)
        for i in range(0, n, batch):
            x = train[order[i:i + batch]]
            loss = -model.elbo(x).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
    model.eval()
    with torch.no_grad():
        held64 = held.double()
        model.double()
        elbo = torch.cat([model.elbo(held64[i:i + 1000]) for i in range(0, held.shape[0], 1000)])
        k = s["importanceSamples"]
        step = max(1, 20000 // k)
        iwae = torch.cat([model.iwae(held64[i:i + step], k) for i in range(0, held.shape[0], step)])
    print(json.dumps({"examplesPerSecond": n * s["epochs"] / seconds, "trainSeconds": seconds,
                      "examplesPerCpuSecond": n * s["epochs"] / cpu, "trainCpuSeconds": cpu,
                      "heldOutElbo": elbo.mean().item(), "heldOutIwae": iwae.mean().item(),
                      "threads": torch.get_num_threads(), "version": torch.__version__}))


if __name__ == "__main__":
    main()
