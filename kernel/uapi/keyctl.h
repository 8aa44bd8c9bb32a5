/* SPDX-License-Identifier: MPL-2.0 */
/*
 * Mirrors Linux's <linux/keyctl.h>: the key retention service's special
 * key ids, request-key default keyrings, keyctl(2) commands and
 * capability bits; and the permission bits and limits of Linux's
 * <linux/key.h> that user space passes and sees (KEYCTL_SETPERM,
 * /proc/keys) but no installed header exports.
 * Values are x86-64 Linux's; tests/unit/test_uapi checks them against the host's headers.
 */
#ifndef ASTER_UAPI_KEYCTL_H
#define ASTER_UAPI_KEYCTL_H

#define KEY_SPEC_THREAD_KEYRING		-1
#define KEY_SPEC_PROCESS_KEYRING	-2
#define KEY_SPEC_SESSION_KEYRING	-3
#define KEY_SPEC_USER_KEYRING		-4
#define KEY_SPEC_USER_SESSION_KEYRING	-5
#define KEY_SPEC_GROUP_KEYRING		-6
#define KEY_SPEC_REQKEY_AUTH_KEY	-7
#define KEY_SPEC_REQUESTOR_KEYRING	-8

#define KEY_REQKEY_DEFL_NO_CHANGE		-1
#define KEY_REQKEY_DEFL_DEFAULT			0
#define KEY_REQKEY_DEFL_THREAD_KEYRING		1
#define KEY_REQKEY_DEFL_PROCESS_KEYRING		2
#define KEY_REQKEY_DEFL_SESSION_KEYRING		3
#define KEY_REQKEY_DEFL_USER_KEYRING		4
#define KEY_REQKEY_DEFL_USER_SESSION_KEYRING	5
#define KEY_REQKEY_DEFL_GROUP_KEYRING		6
#define KEY_REQKEY_DEFL_REQUESTOR_KEYRING	7

#define KEYCTL_GET_KEYRING_ID		0
#define KEYCTL_JOIN_SESSION_KEYRING	1
#define KEYCTL_UPDATE			2
#define KEYCTL_REVOKE			3
#define KEYCTL_CHOWN			4
#define KEYCTL_SETPERM			5
#define KEYCTL_DESCRIBE			6
#define KEYCTL_CLEAR			7
#define KEYCTL_LINK			8
#define KEYCTL_UNLINK			9
#define KEYCTL_SEARCH			10
#define KEYCTL_READ			11
#define KEYCTL_INSTANTIATE		12
#define KEYCTL_NEGATE			13
#define KEYCTL_SET_REQKEY_KEYRING	14
#define KEYCTL_SET_TIMEOUT		15
#define KEYCTL_ASSUME_AUTHORITY		16
#define KEYCTL_GET_SECURITY		17
#define KEYCTL_SESSION_TO_PARENT	18
#define KEYCTL_REJECT			19
#define KEYCTL_INSTANTIATE_IOV		20
#define KEYCTL_INVALIDATE		21
#define KEYCTL_GET_PERSISTENT		22
#define KEYCTL_DH_COMPUTE		23
#define KEYCTL_PKEY_QUERY		24
#define KEYCTL_PKEY_ENCRYPT		25
#define KEYCTL_PKEY_DECRYPT		26
#define KEYCTL_PKEY_SIGN		27
#define KEYCTL_PKEY_VERIFY		28
#define KEYCTL_RESTRICT_KEYRING		29
#define KEYCTL_MOVE			30
#define KEYCTL_CAPABILITIES		31
#define KEYCTL_WATCH_KEY		32

#define KEYCTL_MOVE_EXCL		0x00000001

#define KEYCTL_CAPS0_CAPABILITIES	0x01
#define KEYCTL_CAPS0_PERSISTENT_KEYRINGS 0x02
#define KEYCTL_CAPS0_DIFFIE_HELLMAN	0x04
#define KEYCTL_CAPS0_PUBLIC_KEY		0x08
#define KEYCTL_CAPS0_BIG_KEY		0x10
#define KEYCTL_CAPS0_INVALIDATE		0x20
#define KEYCTL_CAPS0_RESTRICT_KEYRING	0x40
#define KEYCTL_CAPS0_MOVE		0x80
#define KEYCTL_CAPS1_NS_KEYRING_NAME	0x01
#define KEYCTL_CAPS1_NS_KEY_TAG		0x02
#define KEYCTL_CAPS1_NOTIFICATIONS	0x04

/* <linux/key.h>: a key's permission word, possessor/user/group/other bytes. */
#define KEY_POS_VIEW		0x01000000
#define KEY_POS_READ		0x02000000
#define KEY_POS_WRITE		0x04000000
#define KEY_POS_SEARCH		0x08000000
#define KEY_POS_LINK		0x10000000
#define KEY_POS_SETATTR		0x20000000
#define KEY_POS_ALL		0x3f000000
#define KEY_USR_VIEW		0x00010000
#define KEY_USR_READ		0x00020000
#define KEY_USR_LINK		0x00100000
#define KEY_USR_ALL		0x003f0000
#define KEY_GRP_ALL		0x00003f00
#define KEY_OTH_ALL		0x0000003f

/* The longest description and key type name, with their NUL. */
#define KEY_MAX_DESC_SIZE	4096
#define KEY_TYPE_NAME_SIZE	32
/* A user or logon key's largest payload; add_key's and UPDATE's largest copy-in. */
#define KEY_USER_PAYLOAD_MAX	32767
#define KEY_ADD_PAYLOAD_MAX	(1024 * 1024 - 1)
#define KEY_UPDATE_PAYLOAD_MAX	4096
/* Keyrings nest at most this deep in a search (KEYRING_SEARCH_MAX_DEPTH). */
#define KEYRING_SEARCH_MAX_DEPTH	6
/* Quota a link in a keyring costs its owner (KEYQUOTA_LINK_BYTES). */
#define KEYQUOTA_LINK_BYTES	4

#endif
