/** The devices a hive can run workers on: the CPU and NVIDIA GPUs (through nvidia-smi). */
package io.rbee.hive.devices;
