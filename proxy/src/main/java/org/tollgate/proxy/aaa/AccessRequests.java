package org.tollgate.proxy.aaa;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.tinyradius.core.RadiusPacketException;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;

/**
 * Access-Requests as Kamailio's auth_radius (draft-sterman digest) and group_radius send them.
 * TinyRadius adds the Message-Authenticator when it encodes (after its Proxy-State), which the
 * AAA server requires by default.
 */
public final class AccessRequests {

    static final int USER_NAME = 1;
    static final int SERVICE_TYPE = 6;
    static final int DIGEST_RESPONSE = 206;
    static final int DIGEST_ATTRIBUTES = 207;
    static final int SIP_URI_USER = 208;
    static final int SIP_GROUP = 211;
    static final int SIP_AVP = 225;
    static final int REPLY_MESSAGE = 18;
    static final int SESSION_TIMEOUT = 27;
    static final int TERMINATION_ACTION = 29;
    static final int CALLED_STATION_ID = 30;
    static final int ACCT_SESSION_ID = 44;
    static final int ACCT_SESSION_TIME = 46;

    static final int SERVICE_SIP_SESSION = 15;
    static final int SERVICE_GROUP_CHECK = 12;

    // draft-sterman-aaa-sip-00 sub-types (dictionaries/dictionary.digest-sub numbers them 1062 + sub-type)
    static final int REALM = 1;
    static final int NONCE = 2;
    static final int METHOD = 3;
    static final int URI = 4;
    static final int QOP = 5;
    static final int ALGORITHM = 6;
    static final int CNONCE = 8;
    static final int NONCE_COUNT = 9;
    static final int DIGEST_USER_NAME = 10;

    private final AttributeEncoder encoder;
    private final RadiusClientSettings settings;

    AccessRequests(AttributeEncoder encoder, RadiusClientSettings settings) {
        this.encoder = encoder;
        this.settings = settings;
    }

    /** User-Name as auth_radius builds it: the digest user name, {@code @realm} appended unless it has one. */
    public static String userName(DigestCheck c) {
        String user = c.userName();
        return user.indexOf('@') >= 0 || c.realm() == null || c.realm().isEmpty() ? user : user + "@" + c.realm();
    }

    RadiusRequest digest(DigestCheck c, byte id) throws RadiusPacketException {
        return digest(c, null, id);
    }

    /** The digest check; with {@code call}, also the call's prepaid authorization (Kamailio's auth_extra). */
    RadiusRequest digest(DigestCheck c, CallAuthorization call, byte id) throws RadiusPacketException {
        if (c.userName() == null || c.userName().isEmpty() || c.response() == null) {
            throw new IllegalArgumentException("digest check needs a user name and a response");
        }
        List<RadiusAttribute> attrs = new ArrayList<>();
        attrs.add(text(USER_NAME, userName(c)));
        sub(attrs, REALM, c.realm());
        sub(attrs, NONCE, c.nonce());
        sub(attrs, METHOD, c.method());
        sub(attrs, URI, c.uri());
        if (c.qop() != null && !c.qop().isEmpty()) {
            sub(attrs, QOP, c.qop());
            sub(attrs, NONCE_COUNT, c.nonceCount());
            sub(attrs, CNONCE, c.cnonce());
        }
        sub(attrs, ALGORITHM, c.algorithm());
        sub(attrs, DIGEST_USER_NAME, c.userName());
        attrs.add(text(DIGEST_RESPONSE, c.response()));
        attrs.add(encoder.raw(SERVICE_TYPE, AttributeEncoder.int32(SERVICE_SIP_SESSION)));
        if (c.uriUser() != null && !c.uriUser().isEmpty()) {
            attrs.add(text(SIP_URI_USER, c.uriUser()));
        }
        call(attrs, call);
        nas(attrs);
        return RadiusRequest.create(encoder.dictionary(), PacketType.ACCESS_REQUEST, id, null, attrs);
    }

    /**
     * A prepaid authorization without credentials, for a caller the proxy trusts (the proxy's NAS
     * client must be allowed to ask it: {@code nas add --prepaid-authorize}).
     */
    RadiusRequest authorization(String user, CallAuthorization call, byte id) throws RadiusPacketException {
        List<RadiusAttribute> attrs = new ArrayList<>();
        attrs.add(text(USER_NAME, user));
        attrs.add(encoder.raw(SERVICE_TYPE, AttributeEncoder.int32(SERVICE_SIP_SESSION)));
        call(attrs, call);
        nas(attrs);
        return RadiusRequest.create(encoder.dictionary(), PacketType.ACCESS_REQUEST, id, null, attrs);
    }

    private void call(List<RadiusAttribute> attrs, CallAuthorization call) {
        if (call == null) {
            return;
        }
        attrs.add(text(ACCT_SESSION_ID, call.callId()));
        attrs.add(text(CALLED_STATION_ID, call.calledStationId()));
        if (call.usedSeconds() > 0) {
            attrs.add(encoder.raw(ACCT_SESSION_TIME, AttributeEncoder.int32(Math.min(call.usedSeconds(), 0xffffffffL))));
        }
    }

    RadiusRequest groupCheck(String user, String group, byte id) throws RadiusPacketException {
        List<RadiusAttribute> attrs = new ArrayList<>();
        attrs.add(text(USER_NAME, user));
        attrs.add(text(SIP_GROUP, group));
        attrs.add(encoder.raw(SERVICE_TYPE, AttributeEncoder.int32(SERVICE_GROUP_CHECK)));
        nas(attrs);
        return RadiusRequest.create(encoder.dictionary(), PacketType.ACCESS_REQUEST, id, null, attrs);
    }

    /** One Digest-Attributes (207) per sub-attribute: [sub-type][length incl. these 2 octets][text]. */
    static byte[] digestSubAttribute(int subType, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (text.length > 251) {
            throw new IllegalArgumentException("digest parameter " + subType + " is longer than 251 octets");
        }
        byte[] v = new byte[text.length + 2];
        v[0] = (byte) subType;
        v[1] = (byte) (text.length + 2);
        System.arraycopy(text, 0, v, 2, text.length);
        return v;
    }

    private void sub(List<RadiusAttribute> attrs, int subType, String value) {
        if (value != null && !value.isEmpty()) {
            attrs.add(encoder.raw(DIGEST_ATTRIBUTES, digestSubAttribute(subType, value)));
        }
    }

    private RadiusAttribute text(int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (v.length == 0 || v.length > 253) {
            throw new IllegalArgumentException("attribute " + type + " must be 1-253 octets, not " + v.length);
        }
        return encoder.raw(type, v);
    }

    private void nas(List<RadiusAttribute> attrs) {
        attrs.add(AccountingRequests.nasAddress(encoder, settings));
        attrs.add(encoder.raw(AccountingRequests.NAS_PORT, AttributeEncoder.int32(settings.nasPort())));
    }
}
